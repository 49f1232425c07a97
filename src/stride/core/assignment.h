#pragma once
// The assignment problem: pair rows with columns one to one so that the summed cost of the pairs is
// least (Kuhn–Munkres, O(n^3)). Trackers pair predicted tracks with detections by it, the tracking
// metrics pair true identities with tracks, galleries pair simultaneous probes with people.
#include <cstdint>
#include <vector>

namespace stride {

// `cost` holds rows x cols finite values, row-major. Returns for each row its column, or -1 where
// a row is left unpaired (only when rows > cols). Every column is used at most once; with
// rows <= cols every row is paired. Throws stride::Error on a size mismatch or a non-finite cost.
std::vector<int64_t> min_cost_assignment(const std::vector<double>& cost, int64_t rows, int64_t cols);

}  // namespace stride
