#pragma once
// A window geometry of 1, 2 or 3 spatial dimensions seen as exactly three (missing leading
// dimensions have size 1, kernel 1, stride 1 and no padding), so that the conv and pool kernels
// are one set of plain depth/height/width loops for every rank.
#include <array>
#include <cstdint>

#include "stride/ir/ops/window_geometry.h"

namespace stride::ref {

struct Window3d {
  using Dims = std::array<int64_t, 3>;
  Dims input, output, kernel, strides, dilations, pads_begin, pads_end;

  int64_t input_plane() const { return input[0] * input[1] * input[2]; }
  int64_t output_plane() const { return output[0] * output[1] * output[2]; }
  int64_t taps() const { return kernel[0] * kernel[1] * kernel[2]; }
};

Window3d as_3d(const WindowGeometry& geometry);

// Calls visit(input_offset, tap) for every tap of the window at output position `out` that lands
// inside the input (not in the padding). Offsets index one input plane; taps number the kernel
// row-major, the order of a Conv weight's kernel elements.
template <typename Visit>
void for_each_tap_inside(const Window3d& w, const Window3d::Dims& out, Visit&& visit) {
  for (int64_t kd = 0; kd < w.kernel[0]; ++kd) {
    const int64_t id = out[0] * w.strides[0] - w.pads_begin[0] + kd * w.dilations[0];
    if (id < 0 || id >= w.input[0]) continue;
    for (int64_t kh = 0; kh < w.kernel[1]; ++kh) {
      const int64_t ih = out[1] * w.strides[1] - w.pads_begin[1] + kh * w.dilations[1];
      if (ih < 0 || ih >= w.input[1]) continue;
      for (int64_t kw = 0; kw < w.kernel[2]; ++kw) {
        const int64_t iw = out[2] * w.strides[2] - w.pads_begin[2] + kw * w.dilations[2];
        if (iw < 0 || iw >= w.input[2]) continue;
        visit((id * w.input[1] + ih) * w.input[2] + iw, (kd * w.kernel[1] + kh) * w.kernel[2] + kw);
      }
    }
  }
}

// Taps of the window at `out` that land inside the input or its explicit padding (the divisor of
// AveragePool with count_include_pad=1; ceil_mode may push a window past the padding).
int64_t taps_within_padding(const Window3d& w, const Window3d::Dims& out);

// Calls visit(out, output_offset) for every output position, row-major.
template <typename Visit>
void for_each_output(const Window3d& w, Visit&& visit) {
  int64_t offset = 0;
  for (int64_t od = 0; od < w.output[0]; ++od)
    for (int64_t oh = 0; oh < w.output[1]; ++oh)
      for (int64_t ow = 0; ow < w.output[2]; ++ow) visit(Window3d::Dims{od, oh, ow}, offset++);
}

}  // namespace stride::ref
