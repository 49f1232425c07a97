#include <algorithm>

#include "stride/ir/ops/all_ops.h"

namespace stride::ops {
namespace {

// Inference-mode BatchNormalization: Y = scale · (X − mean) / sqrt(var + epsilon) + B per channel.
std::vector<TensorInfo> infer_batch_norm(const InferContext& ctx) {
  if (ctx.attrs().get_int("training_mode", 0) != 0)
    ctx.fail("training_mode=1 is not supported; only inference-mode BatchNormalization runs");
  const auto& outputs = ctx.node().outputs;
  for (size_t o = 1; o < outputs.size(); ++o)
    if (!outputs[o].empty())
      ctx.fail("output #{} ('{}') exists only in training mode; inference mode produces Y alone", o, outputs[o]);

  const TensorInfo& x = ctx.input(0);
  if (x.shape.size() < 2) ctx.fail("input X must be N×C×…, got {}", shape_str(x.shape));
  const int64_t channels = x.shape[1];
  static const char* const kParams[] = {"scale", "B", "input_mean", "input_var"};
  for (size_t i = 1; i <= 4; ++i) {
    const TensorInfo& p = ctx.input(i);
    if (p.shape != Shape{channels})
      ctx.fail("{} must be [{}] (one value per channel of X {}), got {}", kParams[i - 1], channels, shape_str(x.shape),
               shape_str(p.shape));
    if (p.dtype != x.dtype) ctx.fail("{} is {} but X is {}", kParams[i - 1], dtype_name(p.dtype), dtype_name(x.dtype));
  }
  // Absent optional outputs keep their slots so that the node's output list lines up.
  std::vector<TensorInfo> result(std::max<size_t>(1, outputs.size()));
  result[0] = x;
  return result;
}

}  // namespace

void register_norm_ops(OpRegistry& registry) {
  registry.add({.type = "BatchNormalization", .min_inputs = 5, .max_inputs = 5, .infer = infer_batch_norm});
}

}  // namespace stride::ops
