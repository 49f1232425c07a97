#include "stride/engine/ref/window_3d.h"

namespace stride::ref {

Window3d as_3d(const WindowGeometry& g) {
  Window3d w;
  w.input = w.output = w.kernel = w.strides = w.dilations = {1, 1, 1};
  w.pads_begin = w.pads_end = {0, 0, 0};
  const size_t first = 3 - g.rank();  // window_geometry guarantees 1 to 3 spatial dimensions
  for (size_t d = 0; d < g.rank(); ++d) {
    w.input[first + d] = g.input[d];
    w.output[first + d] = g.output[d];
    w.kernel[first + d] = g.kernel[d];
    w.strides[first + d] = g.strides[d];
    w.dilations[first + d] = g.dilations[d];
    w.pads_begin[first + d] = g.pads_begin[d];
    w.pads_end[first + d] = g.pads_end[d];
  }
  return w;
}

int64_t taps_within_padding(const Window3d& w, const Window3d::Dims& out) {
  int64_t count = 1;
  for (size_t d = 0; d < 3; ++d) {
    int64_t in_dim = 0;
    for (int64_t k = 0; k < w.kernel[d]; ++k) {
      const int64_t pos = out[d] * w.strides[d] - w.pads_begin[d] + k * w.dilations[d];
      if (pos >= -w.pads_begin[d] && pos < w.input[d] + w.pads_end[d]) ++in_dim;
    }
    count *= in_dim;
  }
  return count;
}

}  // namespace stride::ref
