#include "stride/engine/ref/f32_tensors.h"
#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/window_3d.h"

namespace stride::ref {
namespace {

// Y[n, m, o] = B[m] + Σ_c Σ_k X[n, group(m)·C/group + c, o·stride − pad + k·dilation] · W[m, c, k]
void conv(const KernelContext& ctx) {
  const Tensor& x_tensor = ctx.input(0);
  const Tensor& w_tensor = ctx.input(1);
  const Window3d win = as_3d(conv_window(ctx.node, x_tensor.shape(), w_tensor.shape()));
  const float* x = f32_input(ctx, 0);
  const float* w = f32_input(ctx, 1);
  const float* bias = optional_f32_input(ctx, 2);
  float* y = f32_output(ctx, 0);

  const int64_t batch = x_tensor.dim(0), channels = x_tensor.dim(1), filters = w_tensor.dim(0);
  const int64_t group = ctx.node.attrs.get_int("group", 1);
  const int64_t group_channels = channels / group, group_filters = filters / group;
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t m = 0; m < filters; ++m) {
      const float* x_group = x + (n * channels + (m / group_filters) * group_channels) * win.input_plane();
      const float* w_filter = w + m * group_channels * win.taps();
      float* y_plane = y + (n * filters + m) * win.output_plane();
      for_each_output(win, [&](const Window3d::Dims& out, int64_t out_offset) {
        double acc = bias ? bias[m] : 0.0;
        for (int64_t c = 0; c < group_channels; ++c) {
          const float* x_plane = x_group + c * win.input_plane();
          const float* w_taps = w_filter + c * win.taps();
          for_each_tap_inside(win, out, [&](int64_t in_offset, int64_t tap) {
            acc += static_cast<double>(x_plane[in_offset]) * w_taps[tap];
          });
        }
        y_plane[out_offset] = static_cast<float>(acc);
      });
    }
  }
}

}  // namespace

void register_conv_kernels(KernelRegistry& registry) { registry.add("Conv", conv); }

}  // namespace stride::ref
