#pragma once
// Accuracy-aware quantization (the idea of OpenVINO's): when the int8 model loses more than
// `max_drop` points, rank the quantized layers by the accuracy regained when each alone returns
// to f32, then return them to f32 in that order, one at a time, until the drop is within bound.
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace stride::quant {

// Accuracy (in points) of the model quantized with these nodes kept in f32.
using Evaluate = std::function<double(const std::set<std::string>& keep_float)>;

struct LayerGain {
  std::string node;
  double accuracy = 0;  // with this node alone in f32
};

struct RevertResult {
  std::set<std::string> keep_float;
  std::vector<std::string> order;  // nodes returned to f32, in order
  std::vector<LayerGain> ranking;  // every quantized node, most harmful first
  double accuracy = 0;             // of the final model
  bool within_bound = true;
};

// `quantized_accuracy` is the accuracy with every node in int8. `progress(done, total)` counts
// evaluations. Stops as soon as the bound is met. If it never is (every node but one tried in f32),
// keeps the shortest run of reverts that reached the best accuracy seen — none when no revert beat
// the all-int8 model — and says so in `within_bound`.
RevertResult revert_until_within(const std::vector<std::string>& nodes, double float_accuracy,
                                 double quantized_accuracy, double max_drop, const Evaluate& evaluate,
                                 const std::function<void(size_t done, size_t total)>& progress = {});

}  // namespace stride::quant
