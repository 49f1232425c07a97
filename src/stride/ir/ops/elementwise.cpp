#include <fmt/ranges.h>

#include <algorithm>
#include <span>
#include <string>
#include <string_view>

#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/broadcast.h"
#include "stride/ir/ops/node_checks.h"

namespace stride::ops {
namespace {

std::vector<TensorInfo> same_as_f32_input(const InferContext& ctx) {
  require_f32(ctx, 0);
  return {ctx.input(0)};
}

void add_unary(OpRegistry& registry, const std::string& type) {
  registry.add({.type = type, .min_inputs = 1, .max_inputs = 1, .infer = same_as_f32_input});
}

// Add, Sub and Mul compute on integers too (wrapping around, as numpy does); Div, whose integer
// rounding ONNX leaves open, on floats only.
constexpr DType kArithmeticDTypes[] = {DType::f32, DType::f64, DType::u8, DType::s8, DType::s32, DType::s64};
constexpr DType kDivDTypes[] = {DType::f32, DType::f64};
// Clip only picks values, so it computes on every dtype Stride has an order for: the same ones.
constexpr const auto& kClipDTypes = kArithmeticDTypes;

// The dtype of input #0, which must be among `dtypes`.
DType checked_dtype(const InferContext& ctx, std::span<const DType> dtypes) {
  const DType dtype = ctx.input(0).dtype;
  if (std::find(dtypes.begin(), dtypes.end(), dtype) == dtypes.end()) {
    std::vector<std::string_view> names;
    for (DType d : dtypes) names.push_back(dtype_name(d));
    ctx.fail("input #0 ('{}') is {}; this op computes on {}", ctx.node().inputs[0], dtype_name(dtype),
             fmt::join(names, ", "));
  }
  return dtype;
}

void require_dtype_of_input0(const InferContext& ctx, size_t input) {
  if (ctx.input(input).dtype != ctx.input(0).dtype)
    ctx.fail("input #{} ('{}') is {} but input #0 is {}; both must have one dtype", input, ctx.node().inputs[input],
             dtype_name(ctx.input(input).dtype), dtype_name(ctx.input(0).dtype));
}

decltype(OpDef::infer) infer_binary(std::span<const DType> dtypes) {
  return [dtypes](const InferContext& ctx) -> std::vector<TensorInfo> {
    const DType dtype = checked_dtype(ctx, dtypes);
    require_dtype_of_input0(ctx, 1);
    return {{dtype, broadcast_shapes(ctx.node(), {ctx.shape(0), ctx.shape(1)})}};
  };
}

// Clip's bounds are attributes up to opset 6 (on floats only) and optional scalar inputs #1 and #2
// of X's dtype from opset 11.
void check_clip_bound(const InferContext& ctx, const std::string& name, size_t input) {
  const bool as_input = uses_input(ctx.node(), input);
  if (!as_input) {
    const DType x = ctx.input(0).dtype;
    if (optional_float_attr(ctx.node(), name) && x != DType::f32 && x != DType::f64)
      ctx.fail("gives '{}' as an attribute, which bounds f32 and f64 inputs only; X is {}", name, dtype_name(x));
    return;
  }
  if (ctx.attrs().has(name))
    ctx.fail("gives '{}' both as an attribute and as input #{}; expected one of them", name, input);
  require_dtype_of_input0(ctx, input);
  if (shape_numel(ctx.shape(input)) != 1)
    ctx.fail("input #{} ('{}', the {}) must be a scalar, got shape {}", input, ctx.node().inputs[input], name,
             shape_str(ctx.shape(input)));
}

std::vector<TensorInfo> infer_clip(const InferContext& ctx) {
  checked_dtype(ctx, kClipDTypes);
  check_clip_bound(ctx, "min", 1);
  check_clip_bound(ctx, "max", 2);
  return {ctx.input(0)};
}

}  // namespace

void register_elementwise_ops(OpRegistry& registry) {
  for (const char* type : {"Relu", "Sigmoid", "Tanh", "Exp", "Log"}) add_unary(registry, type);
  registry.add({.type = "LeakyRelu", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  float_attr(ctx.node(), "alpha", 0.01f);
                  return same_as_f32_input(ctx);
                }});
  registry.add({.type = "Clip", .min_inputs = 1, .max_inputs = 3, .infer = infer_clip});
  for (const char* type : {"Add", "Sub", "Mul"})
    registry.add({.type = type, .min_inputs = 2, .max_inputs = 2, .infer = infer_binary(kArithmeticDTypes)});
  registry.add({.type = "Div", .min_inputs = 2, .max_inputs = 2, .infer = infer_binary(kDivDTypes)});
}

}  // namespace stride::ops
