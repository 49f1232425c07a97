#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "stride/engine/ref/dtype_dispatch.h"
#include "stride/engine/ref/f32_tensors.h"
#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/window_3d.h"

namespace stride::ref {
namespace {

// Where pool_windows is: the (n, c) plane, the window's position in it and its flat index in Y.
struct PoolSite {
  int64_t plane;
  Window3d::Dims out;
  int64_t y_index;
};

// Applies reduce(win, x_plane, site) -> value to every window of every (n, c) plane of X, whose
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
    for_each_output(win, [&](const Window3d::Dims& out, int64_t out_offset) {
      const PoolSite site{p, out, p * win.output_plane() + out_offset};
      y[site.y_index] = reduce(win, x_plane, site);
    });
  }
}

// A row-major offset within an input plane, renumbered column-major (the first spatial dimension
// fastest), as MaxPool's Indices are with storage_order=1.
int64_t column_major_offset(const Window3d& w, int64_t offset) {
  const int64_t iw = offset % w.input[2];
  const int64_t ih = offset / w.input[2] % w.input[1];
  const int64_t id = offset / (w.input[2] * w.input[1]);
  return id + w.input[0] * (ih + w.input[1] * iw);
}

template <typename T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isnan(v);
  else
    return false;
}

// Padding never wins: a window that sees no input at all yields -inf (the lowest integer), and
// Indices -1 there. NaN wins, as IEEE's maximum and ONNX propagate it (the first NaN in row-major
// order); among equal maxima the first in row-major order does.
// A max only picks elements, so it runs on 8-bit images and quantized tensors as they are.
// Indices (optional) are flat indices into all of X, as ONNX defines them.
void max_pool(const KernelContext& ctx) {
  int64_t* indices = ctx.outputs.size() > 1 && ctx.outputs[1] ? ctx.outputs[1]->data<int64_t>() : nullptr;
  const bool column_major = ctx.node.attrs.get_int("storage_order", 0) == 1;
  dispatch_dtype<float, uint8_t, int8_t>(ctx, ctx.input(0).dtype(), [&]<typename T>(T) {
    pool_windows<T>(ctx, [&](const Window3d& win, const T* x_plane, const PoolSite& site) {
      T best =
          std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
      int64_t arg = -1;
      for_each_tap_inside(win, site.out, [&](int64_t in_offset, int64_t) {
        const T v = x_plane[in_offset];
        if (is_nan(best)) return;  // NaN already won
        if (is_nan(v) || v > best || (arg < 0 && v == best)) {
          best = v;
          arg = in_offset;
        }
      });
      if (indices)
        indices[site.y_index] =
            arg < 0 ? -1 : site.plane * win.input_plane() + (column_major ? column_major_offset(win, arg) : arg);
      return best;
    });
  });
}

// The divisor counts the input elements of the window, plus its explicit padding when
// count_include_pad=1. A window that sees no input yields NaN (an empty mean).
void average_pool(const KernelContext& ctx) {
  const bool count_pad = ctx.node.attrs.get_int("count_include_pad", 0) == 1;
  f32_input(ctx, 0);  // refuses other dtypes naming the node
  pool_windows<float>(ctx, [count_pad](const Window3d& win, const float* x_plane, const PoolSite& site) {
    double sum = 0.0;
    int64_t inside = 0;
    for_each_tap_inside(win, site.out, [&](int64_t in_offset, int64_t) {
      sum += x_plane[in_offset];
      ++inside;
    });
    const int64_t divisor = count_pad ? taps_within_padding(win, site.out) : inside;
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
