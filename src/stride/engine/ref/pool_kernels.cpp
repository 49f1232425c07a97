#include <algorithm>
#include <limits>

#include "stride/engine/ref/dtype_dispatch.h"
#include "stride/engine/ref/f32_tensors.h"
#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/window_3d.h"

namespace stride::ref {
namespace {

// Applies reduce(x_plane, out) -> value to every window of every (n, c) plane of X, whose
// elements are T (and Y's alike).
template <typename T, typename Reduce>
void pool_windows(const KernelContext& ctx, Reduce&& reduce) {
  const Tensor& x_tensor = ctx.input(0);
  const Window3d win = as_3d(pool_window(ctx.node, x_tensor.shape()));
  const T* x = x_tensor.data<T>();
  T* y = ctx.output(0).data<T>();
  const int64_t planes = x_tensor.dim(0) * x_tensor.dim(1);
  for (int64_t p = 0; p < planes; ++p) {
    const T* x_plane = x + p * win.input_plane();
    T* y_plane = y + p * win.output_plane();
    for_each_output(
        win, [&](const Window3d::Dims& out, int64_t out_offset) { y_plane[out_offset] = reduce(win, x_plane, out); });
  }
}

// Padding never wins: a window that sees no input at all yields -inf (the lowest integer). A max
// only picks elements, so it runs on 8-bit images and quantized tensors as they are.
void max_pool(const KernelContext& ctx) {
  dispatch_dtype<float, uint8_t, int8_t>(ctx, ctx.input(0).dtype(), [&]<typename T>(T) {
    pool_windows<T>(ctx, [](const Window3d& win, const T* x_plane, const Window3d::Dims& out) {
      T best =
          std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
      for_each_tap_inside(win, out, [&](int64_t in_offset, int64_t) { best = std::max(best, x_plane[in_offset]); });
      return best;
    });
  });
}

// The divisor counts the input elements of the window, plus its explicit padding when
// count_include_pad=1. A window that sees no input yields NaN (an empty mean).
void average_pool(const KernelContext& ctx) {
  const bool count_pad = ctx.node.attrs.get_int("count_include_pad", 0) == 1;
  f32_input(ctx, 0);  // refuses other dtypes naming the node
  pool_windows<float>(ctx, [count_pad](const Window3d& win, const float* x_plane, const Window3d::Dims& out) {
    double sum = 0.0;
    int64_t inside = 0;
    for_each_tap_inside(win, out, [&](int64_t in_offset, int64_t) {
      sum += x_plane[in_offset];
      ++inside;
    });
    const int64_t divisor = count_pad ? taps_within_padding(win, out) : inside;
    if (divisor == 0) return std::numeric_limits<float>::quiet_NaN();
    return static_cast<float>(sum / static_cast<double>(divisor));
  });
}

// Y[n, c] = mean of X[n, c, ...] over all spatial positions.
void global_average_pool(const KernelContext& ctx) {
  const Tensor& x_tensor = ctx.input(0);
  const float* x = f32_input(ctx, 0);
  float* y = f32_output(ctx, 0);
  const int64_t planes = x_tensor.dim(0) * x_tensor.dim(1);
  const int64_t plane = planes == 0 ? 0 : x_tensor.numel() / planes;
  for (int64_t p = 0; p < planes; ++p) {
    double sum = 0.0;
    for (int64_t i = 0; i < plane; ++i) sum += x[p * plane + i];
    y[p] = static_cast<float>(sum / static_cast<double>(plane));
  }
}

}  // namespace

void register_pool_kernels(KernelRegistry& registry) {
  registry.add("MaxPool", max_pool);
  registry.add("AveragePool", average_pool);
  registry.add("GlobalAveragePool", global_average_pool);
}

}  // namespace stride::ref
