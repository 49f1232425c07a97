#pragma once
// Sensitivity analysis (Balemans et al. 2024): accuracy against the ratio of one group pruned alone, every
// other layer untouched, without fine-tuning — to choose per-layer ratios before spending
// fine-tuning time.
#include <functional>
#include <string>
#include <vector>

#include "stride/compress/importance.h"

namespace stride::compress {

struct SensitivityCurve {
  int group = 0;
  std::string layers;  // the group's producers, joined by " + "
  int64_t channels = 0;
  std::vector<double> ratios;    // requested
  std::vector<int64_t> kept;     // channels kept at each ratio
  std::vector<double> accuracy;  // at each ratio
};

struct Sensitivity {
  double baseline = 0;  // accuracy of the unpruned model
  std::vector<SensitivityCurve> curves;
};

// `accuracy(model)` measures a model; `progress(done, total)` after each measurement. Each prunable
// convolution group (dense ones with `dense`) is pruned alone at each ratio by `scores`.
Sensitivity analyse_sensitivity(const Graph& graph, const ChannelScores& scores, const std::vector<double>& ratios,
                                bool dense, const std::function<double(const Graph&)>& accuracy,
                                const std::function<void(size_t, size_t)>& progress = {});

}  // namespace stride::compress
