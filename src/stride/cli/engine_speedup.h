#pragma once
// Measured speed-ups of a changed model (quantized, pruned) over the one it was made from, on the
// onednn engine: the two run in turn, run by run, on the same inputs (stride::race_models), so that
// a noisy machine slows both alike. Shared by `stride quantize --bench` and `stride prune --bench`.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stride/ir/graph.h"

namespace stride::cli {

// Median milliseconds of each model at `batch` (3 warm-up and 10 timed runs each), with a progress line.
std::vector<double> median_ms_on_engine(const std::vector<const Graph*>& models, int64_t batch, int threads);

// Times both at each batch, prints a table (with the theoretical speed-up beside, when given) and
// returns its rows as JSON: batch, original_ms, ms, speedup.
nlohmann::json print_engine_speedups(const Graph& original, const Graph& changed, const std::string& label,
                                     const std::vector<int64_t>& batches, int threads,
                                     std::optional<double> theoretical = std::nullopt);

}  // namespace stride::cli
