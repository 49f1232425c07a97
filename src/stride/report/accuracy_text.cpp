#include "stride/report/accuracy_text.h"

#include <fmt/format.h>

#include "stride/report/wilson_interval.h"

namespace stride {

std::string interval_cell(double percent, int64_t probes) {
  if (probes <= 0) return "-";  // an interval over no probes says nothing
  const Interval i = wilson_interval(percent / 100 * static_cast<double>(probes), probes);
  return fmt::format("{:.1f}–{:.1f}", 100 * i.low, 100 * i.high);
}

std::string accuracy_text(int64_t correct, int64_t probes, const std::string& unit) {
  const double percent = probes > 0 ? 100.0 * static_cast<double>(correct) / static_cast<double>(probes) : 0.0;
  return fmt::format("{:.2f} % ({}/{} {}; 95 % CI {})", percent, correct, probes, unit, interval_cell(percent, probes));
}

std::string mean_accuracy_text(double percent, int64_t probes, const std::string& unit) {
  return fmt::format("{:.2f} % ({} {}; 95 % CI {})", percent, probes, unit, interval_cell(percent, probes));
}

}  // namespace stride
