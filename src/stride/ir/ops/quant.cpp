#include <algorithm>
#include <cmath>

#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/node_checks.h"
#include "stride/ir/ops/quant_ops.h"

namespace stride::ops {

std::optional<size_t> quant_channel_axis(const Node& node, const Shape& x_shape, const Shape& scale_shape) {
  // A one-element 1-D scale is per-tensor too, as exporters write it that way.
  if (scale_shape.size() <= 1 && numel_at(node, scale_shape) == 1) return std::nullopt;
  const size_t axis = normalize_axis(node, int_attr(node, "axis", 1), x_shape.size(), "axis");
  if (scale_shape.size() != 1 || scale_shape[0] != x_shape[axis])
    fail_at(node, "a per-axis scale must be 1-D with {} values (dimension {} of the input {}), got shape {}",
            x_shape[axis], axis, shape_str(x_shape), shape_str(scale_shape));
  return axis;
}

DynamicQuantParams dynamic_quant_params(float min, float max) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  DynamicQuantParams p;
  if (max > min) p.scale = (max - min) / 255.0f;
  const float zero_point = std::nearbyint(std::clamp(-min / p.scale, 0.0f, 255.0f));
  p.zero_point = static_cast<uint8_t>(zero_point);
  return p;
}

uint8_t dynamic_quantize(float x, const DynamicQuantParams& p) {
  const float q = std::nearbyint(x / p.scale);
  if (std::isnan(q)) return p.zero_point;
  return static_cast<uint8_t>(std::clamp(q + p.zero_point, 0.0f, 255.0f));
}

namespace {

bool is_quantized(DType dtype) { return dtype == DType::s8 || dtype == DType::u8; }

// Checks the scale (input #1) and the optional zero point (input #2) against the data (input #0).
// Returns the zero point's dtype, if there is one.
std::optional<DType> check_scale_and_zero_point(const InferContext& ctx) {
  if (int_attr(ctx.node(), "block_size", 0) != 0) ctx.fail("blocked quantization (block_size) is not supported");
  require_f32(ctx, 1);
  quant_channel_axis(ctx.node(), ctx.shape(0), ctx.shape(1));
  if (!ctx.has_input(2)) return std::nullopt;
  if (ctx.shape(2) != ctx.shape(1))
    ctx.fail("the zero point has shape {}, the scale {}; expected the same shape", shape_str(ctx.shape(2)),
             shape_str(ctx.shape(1)));
  return ctx.input(2).dtype;
}

// y = saturate(round_half_to_even(x / scale) + zero_point); y has the zero point's dtype (u8 without one).
std::vector<TensorInfo> infer_quantize(const InferContext& ctx) {
  require_f32(ctx, 0);
  const DType out = check_scale_and_zero_point(ctx).value_or(DType::u8);
  if (!is_quantized(out)) ctx.fail("the zero point is {}; expected u8 or s8", dtype_name(out));
  return {{out, ctx.shape(0)}};
}

// y = (x - zero_point) * scale in f32, from s8, u8 or s32 data.
std::vector<TensorInfo> infer_dequantize(const InferContext& ctx) {
  const DType in = ctx.input(0).dtype;
  if (!is_quantized(in) && in != DType::s32)
    ctx.fail("input '{}' is {}; expected s8, u8 or s32", ctx.node().inputs[0], dtype_name(in));
  const auto zero_point = check_scale_and_zero_point(ctx);
  if (zero_point && *zero_point != in)
    ctx.fail("the zero point is {} but the data is {}; expected the same dtype", dtype_name(*zero_point),
             dtype_name(in));
  return {{DType::f32, ctx.shape(0)}};
}

// DynamicQuantizeLinear: x (f32) → y (u8), its scale and zero point, each a scalar found at run time.
std::vector<TensorInfo> infer_dynamic_quantize(const InferContext& ctx) {
  require_f32(ctx, 0);
  return {{DType::u8, ctx.shape(0)}, {DType::f32, {}}, {DType::u8, {}}};
}

}  // namespace

void register_quant_ops(OpRegistry& registry) {
  registry.add({.type = "QuantizeLinear", .min_inputs = 2, .max_inputs = 3, .infer = infer_quantize});
  registry.add({.type = "DequantizeLinear", .min_inputs = 2, .max_inputs = 3, .infer = infer_dequantize});
  registry.add({.type = "DynamicQuantizeLinear", .min_inputs = 1, .max_inputs = 1, .infer = infer_dynamic_quantize});
}

}  // namespace stride::ops
