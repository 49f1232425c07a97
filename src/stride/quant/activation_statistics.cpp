#include "stride/quant/activation_statistics.h"

#include "stride/engine/probed_run.h"

namespace stride::quant {

StatisticsMap collect_statistics(const Graph& graph, const std::vector<std::string>& values, const Backend& backend,
                                 const std::vector<TensorMap>& samples,
                                 const std::function<void(size_t, size_t)>& progress) {
  if (samples.empty()) fail("calibration needs at least one input sample");
  StatisticsMap statistics;
  std::vector<std::string> watched;  // each once: a value named twice would be probed twice
  for (const std::string& value : values)
    if (statistics.emplace(value, TensorStatistics{}).second) watched.push_back(value);
  run_with_probes(
      graph, watched, backend, samples,
      [&](const TensorMap& watched) {
        for (const auto& [value, tensor] : watched) {
          const Tensor f = tensor.to_f32();
          statistics.at(value).add(f.values<float>());
        }
      },
      progress);
  return statistics;
}

std::map<std::string, Range> calibrate_all(const StatisticsMap& statistics, const std::vector<std::string>& values,
                                           Method method, const CalibrationOptions& options) {
  std::map<std::string, Range> ranges;
  for (const std::string& value : values) {
    auto it = statistics.find(value);
    if (it == statistics.end()) fail("no calibration statistics for activation '{}'", value);
    ranges[value] = calibrate(it->second, method, options);
  }
  return ranges;
}

}  // namespace stride::quant
