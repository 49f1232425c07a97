#include "stride/quant/float_precision.h"

#include <cmath>

#include "stride/core/usage_error.h"
#include "stride/ir/ops/cast_ops.h"

namespace stride::quant {
namespace {

bool fits(const Tensor& weight, DType dtype) {
  const Tensor narrowed = weight.cast(dtype).to_f32();
  for (float v : narrowed.values<float>())
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

DType float_precision(const std::string& name) {
  if (name == "fp16") return DType::f16;
  if (name == "bf16") return DType::bf16;
  usage_fail("unknown float precision '{}' (expected fp16 or bf16)", name);
}

Graph store_weights_as(const Graph& graph, DType dtype) {
  if (dtype != DType::f16 && dtype != DType::bf16)
    fail("weights can be stored as f16 or bf16, not {}", dtype_name(dtype));
  Graph result = graph;
  const std::string suffix = dtype == DType::f16 ? "_fp16" : "_bf16";
  int converted = 0;
  for (const auto& [name, weight] : graph.initializers) {
    if (weight.dtype() != DType::f32 || graph.input(name) || !fits(weight, dtype)) continue;
    const std::string stored = name + suffix;
    if (graph.initializers.count(stored)) fail("the model already has a value named '{}'", stored);
    result.initializers.erase(name);
    result.initializers.emplace(stored, weight.cast(dtype));
    // The Cast writes the original name, so every reader is unchanged.
    Node cast{name + "/Cast", "Cast", {stored}, {name}, {}};
    cast.attrs.set("to", ops::onnx_type_number(DType::f32));
    result.nodes.push_back(std::move(cast));
    ++converted;
  }
  if (converted == 0) fail("nothing to convert: the model has no f32 weights that fit in {}", dtype_name(dtype));
  return sorted(std::move(result));
}

}  // namespace stride::quant
