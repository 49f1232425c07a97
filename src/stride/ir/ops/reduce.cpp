#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/node_checks.h"
#include "stride/ir/ops/reduce_ops.h"

namespace stride::ops {

std::vector<bool> reduced_axes(const Node& node, const Tensor* axes_value, size_t rank) {
  const auto axes = ints_from_attr_or_input(node, "axes", 1, axes_value);
  if (!axes || axes->empty()) return std::vector<bool>(rank, int_attr(node, "noop_with_empty_axes", 0) == 0);
  std::vector<bool> reduced(rank, false);
  for (size_t d : normalize_axes(node, *axes, rank, "axes")) reduced[d] = true;
  return reduced;
}

size_t softmax_axis(const Node& node, size_t rank) {
  return normalize_axis(node, int_attr(node, "axis", -1), rank, "axis");
}

namespace {

std::vector<TensorInfo> infer_reduce(const InferContext& ctx) {
  require_f32(ctx, 0);
  const Shape& in = ctx.shape(0);
  const std::vector<bool> reduced = reduced_axes(ctx.node(), ctx.constant(1), in.size());
  const bool keep_dims = int_attr(ctx.node(), "keepdims", 1) != 0;
  Shape out;
  for (size_t d = 0; d < in.size(); ++d) {
    if (!reduced[d])
      out.push_back(in[d]);
    else if (keep_dims)
      out.push_back(1);
  }
  return {{DType::f32, out}};
}

std::vector<TensorInfo> infer_softmax(const InferContext& ctx) {
  require_f32(ctx, 0);
  softmax_axis(ctx.node(), ctx.shape(0).size());
  return {ctx.input(0)};
}

}  // namespace

void register_reduce_ops(OpRegistry& registry) {
  // axes moved from an attribute to input #1 in opset 18.
  registry.add({.type = "ReduceMax", .min_inputs = 1, .max_inputs = 2, .infer = infer_reduce});
  registry.add({.type = "ReduceMean", .min_inputs = 1, .max_inputs = 2, .infer = infer_reduce});
  // ReduceSum took its axes as input #1 already in opset 13.
  registry.add({.type = "ReduceSum", .min_inputs = 1, .max_inputs = 2, .infer = infer_reduce});
  registry.add({.type = "Softmax", .min_inputs = 1, .max_inputs = 1, .infer = infer_softmax});
}

}  // namespace stride::ops
