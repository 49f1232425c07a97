#include <cmath>

#include "stride/engine/ref/f32_tensors.h"
#include "stride/engine/ref/kernels.h"

namespace stride::ref {
namespace {

// Inference mode: Y = scale · (X − mean) / sqrt(var + epsilon) + B, per channel (axis 1).
void batch_normalization(const KernelContext& ctx) {
  const Tensor& x_tensor = ctx.input(0);
  const float epsilon = ctx.node.attrs.get_float("epsilon", 1e-5f);
  const float* x = f32_input(ctx, 0);
  const float* scale = f32_input(ctx, 1);
  const float* bias = f32_input(ctx, 2);
  const float* mean = f32_input(ctx, 3);
  const float* var = f32_input(ctx, 4);
  float* y = f32_output(ctx, 0);

  const int64_t batch = x_tensor.dim(0), channels = x_tensor.dim(1);
  const int64_t planes = batch * channels;
  const int64_t plane = planes == 0 ? 0 : x_tensor.numel() / planes;
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t c = 0; c < channels; ++c) {
      const int64_t base = (n * channels + c) * plane;
      const float inv_std = 1.0f / std::sqrt(var[c] + epsilon);
      for (int64_t i = 0; i < plane; ++i) y[base + i] = scale[c] * (x[base + i] - mean[c]) * inv_std + bias[c];
    }
}

}  // namespace

void register_norm_kernels(KernelRegistry& registry) { registry.add("BatchNormalization", batch_normalization); }

}  // namespace stride::ref
