#pragma once
// Accuracy as every table and summary prints it: the percentage with the number of probes it was
// measured on and its 95 % Wilson interval, so that a difference of a probe or two reads as what
// it is.
#include <cstdint>
#include <string>

namespace stride {

// "75.00 % (24/32 probes; 95 % CI 57.9–86.7)"; `unit` names what was judged ("windows" for an
// activity model's sensor windows).
std::string accuracy_text(int64_t correct, int64_t probes, const std::string& unit = "probes");
// For a protocol's mean (over conditions or views), which is not a count of correct probes:
// "92.19 % (64 probes; 95 % CI 83.0–96.6)", the interval taken as if `percent` were one proportion
// of `probes`.
std::string mean_accuracy_text(double percent, int64_t probes, const std::string& unit = "probes");
// The interval alone, in percent, for a table's column: "57.9–86.7"; "-" without probes.
std::string interval_cell(double percent, int64_t probes);

}  // namespace stride
