#pragma once
// The arguments XNNPACK's 2-D operators take, from an ONNX node's: the window (padding, kernel,
// strides, dilation, in XNNPACK's argument order) and the kernel in XNNPACK's OHWI layout. Shared
// by the f32 (lower_ops.cpp) and int8 (lower_int8.cpp) lowerings.
#include <cstdint>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride::xnnpack {

struct Window2d {
  uint32_t pad_top, pad_right, pad_bottom, pad_left;
  uint32_t kernel_height, kernel_width, stride_height, stride_width, dilation_height, dilation_width;
};

// A convolution's window over the two spatial axes from `spatial0` (1 for a 3-D kernel's frames).
Window2d conv_window_2d(const WindowGeometry& g, size_t spatial0);
// A max pooling's window. XNNPACK pads with -inf, so ceil_mode's extra window is end padding.
Window2d max_pool_window_2d(const WindowGeometry& g);

// An element-by-element operator's view of a tensor of `shape`: rows of its last dimension
// (XNNPACK splits the work among threads by rows).
struct Rows {
  size_t rows, channels;
};
Rows rows_of(const Shape& shape);

// W [M, C/g, k...] (OIHW) as XNNPACK's [M, k..., C/g] (OHWI), for the 2-D slice `tap` of a 3-D
// kernel; W holds T (f32 or s8).
template <typename T>
std::vector<T> ohwi(const Tensor& w, int64_t tap) {
  const Shape& s = w.shape();
  const bool three_d = s.size() == 5;
  const int64_t m = s[0], c = s[1], kt = three_d ? s[2] : 1, kh = s[s.size() - 2], kw = s.back();
  const T* src = w.data<T>();
  std::vector<T> out(static_cast<size_t>(m * kh * kw * c));
  for (int64_t o = 0; o < m; ++o)
    for (int64_t i = 0; i < c; ++i)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          out[((o * kh + y) * kw + x) * c + i] = src[(((o * c + i) * kt + tap) * kh + y) * kw + x];
  return out;
}

}  // namespace stride::xnnpack
