#include "stride/engine/xnnpack/qdq_match.h"

#include <cmath>

#include "stride/ir/ops/quant_ops.h"

namespace stride::xnnpack {
namespace {

bool is_int8(DType t) { return t == DType::u8 || t == DType::s8; }

// True when the zero point (input #2) is absent or constant zeros.
bool zero_point_is_zero(const PlanBuilder& b, const Node& node) {
  if (node.inputs.size() < 3 || node.inputs[2].empty()) return true;
  const Tensor* zp = b.constant(node.inputs[2]);
  if (!zp) return false;
  const Tensor values = zp->to_f32();
  for (const float v : values.values<float>())
    if (v != 0.0f) return false;
  return true;
}

}  // namespace

std::optional<Quantization> per_tensor_quantization(const PlanBuilder& b, const Node& node) {
  if ((node.op_type != "QuantizeLinear" && node.op_type != "DequantizeLinear") || node.inputs.size() < 2) return {};
  const std::string& integers = node.op_type == "QuantizeLinear" ? node.outputs.at(0) : node.inputs.at(0);
  Quantization q;
  q.dtype = b.info(integers).dtype;
  const Tensor* scale = b.constant(node.inputs[1]);
  if (!is_int8(q.dtype) || !scale || scale->numel() != 1 || scale->dtype() != DType::f32) return {};
  q.scale = scale->data<float>()[0];
  if (!(q.scale > 0.0f) || !std::isfinite(q.scale)) return {};
  if (node.inputs.size() > 2 && !node.inputs[2].empty()) {
    const Tensor* zp = b.constant(node.inputs[2]);
    if (!zp || zp->numel() != 1) return {};
    q.zero_point = static_cast<int32_t>(zp->to_f32().data<float>()[0]);
  }
  return q;
}

std::optional<Int8Source> dequantized_source(const PlanBuilder& b, const std::string& value) {
  const Node* dq = b.graph().producer(value);
  if (!dq || dq->op_type != "DequantizeLinear" || b.constant(dq->inputs.at(0))) return {};
  const auto q = per_tensor_quantization(b, *dq);
  if (!q) return {};
  return Int8Source{dq->inputs[0], *q};
}

std::optional<Int8Weights> int8_weights(const PlanBuilder& b, const std::string& value) {
  const Node* dq = b.graph().producer(value);
  if (!dq || dq->op_type != "DequantizeLinear" || dq->inputs.size() < 2 || !zero_point_is_zero(b, *dq)) return {};
  const Tensor* integers = b.constant(dq->inputs[0]);
  const Tensor* scale = b.constant(dq->inputs[1]);
  if (!integers || !scale || integers->dtype() != DType::s8 || scale->dtype() != DType::f32) return {};
  Int8Weights w;
  w.integers = integers;
  const auto s = scale->values<float>();
  w.scales.assign(s.begin(), s.end());
  for (const float v : w.scales)
    if (!(v > 0.0f) || !std::isfinite(v)) return {};
  w.axis = ops::quant_channel_axis(*dq, integers->shape(), scale->shape()).value_or(0);
  return w;
}

std::optional<std::vector<float>> Int8Weights::channel_scales(size_t channel_axis, int64_t channels) const {
  if (scales.size() == 1) return std::vector<float>(static_cast<size_t>(channels), scales[0]);
  if (axis != channel_axis || static_cast<int64_t>(scales.size()) != channels) return {};
  return scales;
}

std::optional<Requantization> requantization(const PlanBuilder& b, const std::string& value) {
  Requantization r;
  const Node* reader = b.single_reader(value);
  if (reader && reader->op_type == "Relu") {
    r.relu = reader;
    reader = b.single_reader(reader->outputs.at(0));
  }
  if (!reader || reader->op_type != "QuantizeLinear") return {};
  const auto q = per_tensor_quantization(b, *reader);
  if (!q) return {};
  r.quantize = reader;
  r.quantization = *q;
  return r;
}

}  // namespace stride::xnnpack
