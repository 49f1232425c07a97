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

void add_binary(OpRegistry& registry, const std::string& type) {
  registry.add(
      {.type = type, .min_inputs = 2, .max_inputs = 2, .infer = [](const InferContext& ctx) {
         require_f32(ctx, 0);
         require_f32(ctx, 1);
         return std::vector<TensorInfo>{{DType::f32, broadcast_shapes(ctx.node(), {ctx.shape(0), ctx.shape(1)})}};
       }});
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
  for (const char* type : {"Relu", "Sigmoid", "Tanh"}) add_unary(registry, type);
  registry.add({.type = "LeakyRelu", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  float_attr(ctx.node(), "alpha", 0.01f);
                  return same_as_f32_input(ctx);
                }});
  registry.add({.type = "Clip", .min_inputs = 1, .max_inputs = 3, .infer = [](const InferContext& ctx) {
                  check_clip_bound(ctx, "min", 1);
                  check_clip_bound(ctx, "max", 2);
                  return same_as_f32_input(ctx);
                }});
  for (const char* type : {"Add", "Sub", "Mul", "Div"}) add_binary(registry, type);
}

}  // namespace stride::ops
