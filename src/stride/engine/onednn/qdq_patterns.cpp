#include "stride/engine/onednn/qdq_patterns.h"

#include <cmath>

#include "stride/engine/onednn/graph_constants.h"
#include "stride/ir/ops/quant_ops.h"

namespace stride::onednn {
namespace {

bool is_int8(DType dtype) { return dtype == DType::u8 || dtype == DType::s8; }

// True when the optional zero point (input #2) is absent or a constant of zeros.
bool zero_point_is_zero(const Graph& graph, const GraphShapes& shapes, const Node& node) {
  if (node.inputs.size() < 3 || node.inputs[2].empty()) return true;
  const Tensor* zp = find_constant(graph, shapes, node.inputs[2]);
  if (!zp) return false;
  const Tensor f = zp->to_f32();
  for (float v : f.values<float>())
    if (v != 0.0f) return false;
  return true;
}

}  // namespace

QdqPatterns::QdqPatterns(const Graph& graph, const GraphShapes& shapes) : graph_(graph), shapes_(shapes) {
  for (const auto& node : graph.nodes)
    for (const auto& out : node.outputs)
      if (!out.empty()) producers_[out] = &node;
}

const Node* QdqPatterns::producer(const std::string& value) const {
  auto it = producers_.find(value);
  return it == producers_.end() ? nullptr : it->second;
}

std::optional<QuantParams> QdqPatterns::per_tensor_params(const Node& node, DType dtype) const {
  if (!is_int8(dtype) || node.inputs.size() < 2 || !zero_point_is_zero(graph_, shapes_, node)) return std::nullopt;
  const Tensor* scale = find_constant(graph_, shapes_, node.inputs[1]);
  if (!scale || scale->numel() != 1 || scale->dtype() != DType::f32) return std::nullopt;
  const float s = scale->data<float>()[0];
  if (!(s > 0.0f) || !std::isfinite(s)) return std::nullopt;
  return QuantParams{s, dtype};
}

std::optional<DequantizedValue> QdqPatterns::dequantized(const std::string& value) const {
  const Node* dq = producer(value);
  if (!dq || dq->op_type != "DequantizeLinear") return std::nullopt;
  const std::string& source = dq->inputs.at(0);
  if (find_constant(graph_, shapes_, source)) return std::nullopt;
  const auto params = per_tensor_params(*dq, shapes_.at(source).dtype);
  if (!params) return std::nullopt;
  return DequantizedValue{source, *params};
}

std::optional<QuantParams> QdqPatterns::quantize_params(const Node& quantize) const {
  if (quantize.op_type != "QuantizeLinear") return std::nullopt;
  return per_tensor_params(quantize, shapes_.at(quantize.outputs.at(0)).dtype);
}

std::optional<DType> QdqPatterns::stored_precision(const std::string& value) const {
  const Node* cast = producer(value);
  if (!cast || cast->op_type != "Cast") return std::nullopt;
  const Tensor* stored = find_constant(graph_, shapes_, cast->inputs.at(0));
  if (!stored || (stored->dtype() != DType::f16 && stored->dtype() != DType::bf16)) return std::nullopt;
  return stored->dtype();
}

std::optional<QuantizedConstant> QdqPatterns::quantized_constant(const std::string& value) const {
  const Node* dq = producer(value);
  if (!dq || dq->op_type != "DequantizeLinear" || !zero_point_is_zero(graph_, shapes_, *dq)) return std::nullopt;
  const Tensor* integers = find_constant(graph_, shapes_, dq->inputs.at(0));
  const Tensor* scale = find_constant(graph_, shapes_, dq->inputs.at(1));
  if (!integers || !scale || integers->dtype() != DType::s8 || scale->dtype() != DType::f32) return std::nullopt;
  QuantizedConstant q;
  q.integers = integers;
  const auto s = scale->values<float>();
  q.scales.assign(s.begin(), s.end());
  q.axis = ops::quant_channel_axis(*dq, integers->shape(), scale->shape()).value_or(0);
  return q;
}

}  // namespace stride::onednn
