#pragma once
// Calibration's data pass: statistics of chosen activations over real inputs, then a range per
// activation from a calibrator. The statistics are kept so that every method calibrates from one pass.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/quant/calibration.h"

namespace stride::quant {

using StatisticsMap = std::map<std::string, TensorStatistics>;

// Runs `graph` on each sample (one batch of its inputs) on `backend`, watching `values`.
StatisticsMap collect_statistics(const Graph& graph, const std::vector<std::string>& values, const Backend& backend,
                                 const std::vector<TensorMap>& samples,
                                 const std::function<void(size_t done, size_t total)>& progress = {});

// The range of each of `values` by `method`; throws naming a value without statistics.
std::map<std::string, Range> calibrate_all(const StatisticsMap& statistics, const std::vector<std::string>& values,
                                           Method method, const CalibrationOptions& options = {});

}  // namespace stride::quant
