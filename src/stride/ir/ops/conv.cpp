#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride::ops {
namespace {

// Y = [N, M, out spatial...] for X = [N, C, ...], W = [M, C/group, kernel...], B = [M].
std::vector<TensorInfo> infer_conv(const InferContext& ctx) {
  const TensorInfo& x = ctx.input(0);
  const TensorInfo& w = ctx.input(1);
  const WindowGeometry g = conv_window(ctx.node(), x.shape, w.shape);
  if (w.dtype != x.dtype) ctx.fail("W is {} but X is {}", dtype_name(w.dtype), dtype_name(x.dtype));

  const int64_t group = ctx.attrs().get_int("group", 1);
  const int64_t channels = x.shape[1];
  const int64_t filters = w.shape[0];
  if (group < 1) ctx.fail("group must be at least 1, got {}", group);
  if (channels % group != 0) ctx.fail("X has {} channels, not divisible by group={}", channels, group);
  if (w.shape[1] * group != channels)
    ctx.fail("X has {} channels but W {} expects {} (C/group={} × group={})", channels, shape_str(w.shape),
             w.shape[1] * group, w.shape[1], group);
  if (filters % group != 0) ctx.fail("W has {} filters, not divisible by group={}", filters, group);
  if (ctx.has_input(2)) {
    const TensorInfo& b = ctx.input(2);
    if (b.shape != Shape{filters}) ctx.fail("bias B must be [{}], got {}", filters, shape_str(b.shape));
    if (b.dtype != x.dtype) ctx.fail("B is {} but X is {}", dtype_name(b.dtype), dtype_name(x.dtype));
  }

  Shape y{x.shape[0], filters};
  y.insert(y.end(), g.output.begin(), g.output.end());
  return {{x.dtype, y}};
}

// Every output element takes (C/group) × kernel taps.
int64_t conv_macs(const InferContext& ctx, const std::vector<TensorInfo>& outputs) {
  const Shape& w = ctx.shape(1);
  return shape_numel(outputs.at(0).shape) * shape_numel(Shape(w.begin() + 1, w.end()));
}

}  // namespace

void register_conv_ops(OpRegistry& registry) {
  registry.add({.type = "Conv", .min_inputs = 2, .max_inputs = 3, .infer = infer_conv, .macs = conv_macs});
}

}  // namespace stride::ops
