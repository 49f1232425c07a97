#include "stride/engine/inputs.h"

#include <cmath>

#include "stride/core/random.h"

namespace stride {

std::map<std::string, Shape> input_shapes_at_batch(const Graph& graph, int64_t batch) {
  if (batch < 1) fail("batch size must be at least 1, got {}", batch);
  std::map<std::string, Shape> shapes;
  for (const auto& v : graph.inputs) {
    Shape s = v.shape;
    // Only the batch is chosen here: a symbolic channel or spatial size given the batch's value
    // would fail later, far from its cause ("dimension of size 2 is smaller than the window").
    for (size_t d = 0; d < s.size(); ++d)
      if (s[d] < 0 && d > 0)
        fail(
            "input '{}' has shape {}: its dimension {} is symbolic, and only the batch (dimension 0) can be "
            "chosen at run time; export the model with a fixed size there",
            v.name, shape_str(v.shape), d);
    if (!s.empty() && s[0] < 0) s[0] = batch;
    shapes[v.name] = s;
  }
  return shapes;
}

TensorMap random_inputs(const Graph& graph, const std::map<std::string, Shape>& shapes, uint64_t seed) {
  TensorMap inputs;
  Random rng(seed);
  for (const auto& [name, shape] : shapes) {
    const ValueInfo* info = graph.input(name);
    if (!info) fail("'{}' is not an input of the model", name);
    Tensor t(DType::f32, shape);
    // 8-bit inputs (a full-integer model's) take every value of their type: [0,1) would cast to 0.
    const bool eight_bit = info->dtype == DType::u8 || info->dtype == DType::s8;
    const float low = info->dtype == DType::s8 ? -128.0f : 0.0f;
    for (float& v : t.values<float>()) v = eight_bit ? std::floor(low + 256.0f * rng.uniform()) : rng.uniform();
    inputs[name] = t.cast(info->dtype);
  }
  return inputs;
}

}  // namespace stride
