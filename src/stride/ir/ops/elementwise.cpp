#include <algorithm>
#include <string>

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
// rounding ONNX leaves open, on f32 only.
constexpr DType kArithmeticDTypes[] = {DType::f32, DType::u8, DType::s8, DType::s32, DType::s64};

std::vector<TensorInfo> infer_arithmetic(const InferContext& ctx) {
  const DType dtype = ctx.input(0).dtype;
  if (std::find(std::begin(kArithmeticDTypes), std::end(kArithmeticDTypes), dtype) == std::end(kArithmeticDTypes))
    ctx.fail("input #0 ('{}') is {}; this op computes on f32, u8, s8, s32 and s64", ctx.node().inputs[0],
             dtype_name(dtype));
  if (ctx.input(1).dtype != dtype)
    ctx.fail("input #1 ('{}') is {} but input #0 is {}; both must have one dtype", ctx.node().inputs[1],
             dtype_name(ctx.input(1).dtype), dtype_name(dtype));
  return {{dtype, broadcast_shapes(ctx.node(), {ctx.shape(0), ctx.shape(1)})}};
}

std::vector<TensorInfo> infer_f32_binary(const InferContext& ctx) {
  require_f32(ctx, 0);
  require_f32(ctx, 1);
  return infer_arithmetic(ctx);
}

// Clip's bounds are attributes up to opset 6 and optional scalar inputs #1 and #2 from opset 11.
void check_clip_bound(const InferContext& ctx, const std::string& name, size_t input) {
  const bool as_input = uses_input(ctx.node(), input);
  if (!as_input) {
    optional_float_attr(ctx.node(), name);
    return;
  }
  if (ctx.attrs().has(name))
    ctx.fail("gives '{}' both as an attribute and as input #{}; expected one of them", name, input);
  require_f32(ctx, input);
  if (shape_numel(ctx.shape(input)) != 1)
    ctx.fail("input #{} ('{}', the {}) must be a scalar, got shape {}", input, ctx.node().inputs[input], name,
             shape_str(ctx.shape(input)));
}

}  // namespace

void register_elementwise_ops(OpRegistry& registry) {
  for (const char* type : {"Relu", "Sigmoid", "Tanh", "Exp", "Log"}) add_unary(registry, type);
  registry.add({.type = "LeakyRelu", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  float_attr(ctx.node(), "alpha", 0.01f);
                  return same_as_f32_input(ctx);
                }});
  registry.add({.type = "Clip", .min_inputs = 1, .max_inputs = 3, .infer = [](const InferContext& ctx) {
                  check_clip_bound(ctx, "min", 1);
                  check_clip_bound(ctx, "max", 2);
                  return same_as_f32_input(ctx);
                }});
  for (const char* type : {"Add", "Sub", "Mul"})
    registry.add({.type = type, .min_inputs = 2, .max_inputs = 2, .infer = infer_arithmetic});
  registry.add({.type = "Div", .min_inputs = 2, .max_inputs = 2, .infer = infer_f32_binary});
}

}  // namespace stride::ops
