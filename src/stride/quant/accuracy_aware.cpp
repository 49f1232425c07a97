#include "stride/quant/accuracy_aware.h"

#include <algorithm>

namespace stride::quant {

RevertResult revert_until_within(const std::vector<std::string>& nodes, double float_accuracy,
                                 double quantized_accuracy, double max_drop, const Evaluate& evaluate,
                                 const std::function<void(size_t, size_t)>& progress) {
  RevertResult result;
  result.accuracy = quantized_accuracy;
  if (float_accuracy - quantized_accuracy <= max_drop) return result;
  const size_t total = 2 * nodes.size();  // at most: one ranking pass, one revert pass
  size_t done = 0;
  for (const std::string& node : nodes) {
    result.ranking.push_back({node, evaluate({node})});
    if (progress) progress(++done, total);
  }
  // Ties keep the graph order, so that a run is reproducible.
  std::stable_sort(result.ranking.begin(), result.ranking.end(),
                   [](const LayerGain& a, const LayerGain& b) { return a.accuracy > b.accuracy; });
  // The best prefix of the ranking seen so far: the one to keep if the bound is never met.
  size_t best_length = 0;
  double best_accuracy = quantized_accuracy;
  for (const LayerGain& layer : result.ranking) {
    if (result.keep_float.size() + 1 == nodes.size()) break;  // an int8 model keeps one int8 layer
    result.keep_float.insert(layer.node);
    result.order.push_back(layer.node);
    result.accuracy = evaluate(result.keep_float);
    if (progress) progress(++done, total);
    if (float_accuracy - result.accuracy <= max_drop) return result;
    if (result.accuracy > best_accuracy) {
      best_accuracy = result.accuracy;
      best_length = result.order.size();
    }
  }
  // Never within bound: layers in f32 that bought nothing would only make the model bigger and slower.
  result.order.resize(best_length);
  result.keep_float = std::set<std::string>(result.order.begin(), result.order.end());
  result.accuracy = best_accuracy;
  result.within_bound = false;
  return result;
}

}  // namespace stride::quant
