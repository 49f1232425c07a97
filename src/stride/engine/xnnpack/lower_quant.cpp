// QuantizeLinear and DequantizeLinear of run-time values, per tensor, as XNNPACK's conversions
// between f32 and its s8 form of int8 values (channels_last.h), in channels-last. A DequantizeLinear
// is only computed when some step reads its f32 result: before an int8 operator it computes nothing.
// A DequantizeLinear of constants (the weights) is computed once, at compile time.
#include <fmt/format.h>

#include <cstdint>

#include "stride/engine/xnnpack/operator_args.h"
#include "stride/engine/xnnpack/qdq_match.h"

namespace stride::xnnpack {
namespace {

bool all_inputs_constant(const PlanBuilder& b, const Node& node) {
  for (const std::string& in : node.inputs)
    if (!in.empty() && !b.constant(in)) return false;
  return true;
}

bool lower_quantize(PlanBuilder& b, const Node& node) {
  const auto q = per_tensor_quantization(b, node);
  const std::string& x = node.inputs.at(0);
  if (!q || b.info(x).dtype != DType::f32 || b.constant(x)) return false;
  const Tensor& in = b.value(x, Layout::channels_last);
  Tensor& out = b.define(node.outputs.at(0), Layout::channels_last);
  const Rows r = rows_of(in.shape());
  xnn_operator_t raw = nullptr;
  check(xnn_create_convert_nc_f32_qs8(r.channels, r.channels, r.channels, q->scale, q->s8_zero_point(), INT8_MIN,
                                      INT8_MAX, 0, &raw),
        fmt::format("the QuantizeLinear of node '{}'", node.name));
  Operator op(raw);
  check(xnn_setup_convert_nc_f32_qs8(raw, r.rows, in.data<float>(), out.data<int8_t>(), b.pool()),
        fmt::format("the QuantizeLinear of node '{}'", node.name));
  b.add_operator_step(std::move(op), "convert_nc_f32_qs8", node.name);
  return true;
}

void add_dequantize(PlanBuilder& b, const Node& node, const Int8Source& source) {
  const Tensor& in = b.value(source.value, Layout::channels_last);
  Tensor& out = b.define(node.outputs.at(0), Layout::channels_last);
  const Rows r = rows_of(in.shape());
  xnn_operator_t raw = nullptr;
  check(xnn_create_convert_nc_qs8_f32(r.channels, r.channels, r.channels, source.quantization.scale,
                                      source.quantization.s8_zero_point(), 0, &raw),
        fmt::format("the DequantizeLinear of node '{}'", node.name));
  Operator op(raw);
  check(xnn_setup_convert_nc_qs8_f32(raw, r.rows, in.data<int8_t>(), out.data<float>(), b.pool()),
        fmt::format("the DequantizeLinear of node '{}'", node.name));
  b.add_operator_step(std::move(op), "convert_nc_qs8_f32", node.name);
}

bool lower_dequantize(PlanBuilder& b, const Node& node) {
  if (all_inputs_constant(b, node)) {
    b.fold(node);
    return true;
  }
  const auto source = dequantized_source(b, node.outputs.at(0));
  if (!source) return false;
  b.defer(node.outputs[0], Layout::channels_last, [&b, &node, s = *source] { add_dequantize(b, node, s); });
  return true;
}

}  // namespace

bool lower_quantization(PlanBuilder& builder, const Node& node) {
  if (node.op_type == "QuantizeLinear") return lower_quantize(builder, node);
  if (node.op_type == "DequantizeLinear") return lower_dequantize(builder, node);
  return false;
}

}  // namespace stride::xnnpack
