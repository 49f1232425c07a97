#include "stride/compress/magnitude_pruning.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "stride/core/usage_error.h"
#include "stride/ir/weight_checks.h"

namespace stride::compress {

MagnitudeResult prune_magnitude(const Graph& graph, double sparsity) {
  if (!(sparsity >= 0 && sparsity < 1)) usage_fail("--sparsity must be in [0, 1), got {}", sparsity);
  check_finite_weights(graph, "pruning");
  std::set<std::string> weights;
  for (const Node& node : graph.nodes)
    if ((node.op_type == "Conv" || node.op_type == "Gemm" || node.op_type == "MatMul") && node.inputs.size() > 1 &&
        graph.is_initializer(node.inputs[1]) && graph.initializers.at(node.inputs[1]).dtype() == DType::f32)
      weights.insert(node.inputs[1]);
  if (weights.empty()) fail("the model has no float convolution or dense weights to prune");

  std::vector<float> magnitudes;
  for (const std::string& name : weights)
    for (float w : graph.initializers.at(name).values<float>()) magnitudes.push_back(std::fabs(w));
  MagnitudeResult result{graph, static_cast<int64_t>(magnitudes.size()), 0};
  const size_t cut = static_cast<size_t>(sparsity * static_cast<double>(magnitudes.size()));
  if (cut == 0) return result;
  std::nth_element(magnitudes.begin(), magnitudes.begin() + (cut - 1), magnitudes.end());
  const float threshold = magnitudes[cut - 1];
  // Everything under the threshold goes, then ties at it until the sparsity is reached.
  int64_t budget = static_cast<int64_t>(cut);
  for (bool ties : {false, true})
    for (const std::string& name : weights)
      for (float& w : result.graph.initializers.at(name).values<float>())
        if (budget > 0 && (ties ? std::fabs(w) == threshold : std::fabs(w) < threshold)) {
          w = 0;
          --budget;
        }
  for (const std::string& name : weights)
    for (float w : result.graph.initializers.at(name).values<float>()) result.zeroed += w == 0;
  return result;
}

}  // namespace stride::compress
