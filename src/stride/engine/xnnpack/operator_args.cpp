#include "stride/engine/xnnpack/operator_args.h"

#include <algorithm>

namespace stride::xnnpack {
namespace {

uint32_t u32(int64_t v) { return static_cast<uint32_t>(v); }

}  // namespace

Window2d conv_window_2d(const WindowGeometry& g, size_t spatial0) {
  const size_t h = spatial0, w = spatial0 + 1;
  return {u32(g.pads_begin[h]), u32(g.pads_end[w]), u32(g.pads_end[h]), u32(g.pads_begin[w]), u32(g.kernel[h]),
          u32(g.kernel[w]),     u32(g.strides[h]),  u32(g.strides[w]),  u32(g.dilations[h]),  u32(g.dilations[w])};
}

Window2d max_pool_window_2d(const WindowGeometry& g) {
  return {u32(g.pads_begin[0]),
          u32(std::max<int64_t>(0, g.floor_pads_end(1))),
          u32(std::max<int64_t>(0, g.floor_pads_end(0))),
          u32(g.pads_begin[1]),
          u32(g.kernel[0]),
          u32(g.kernel[1]),
          u32(g.strides[0]),
          u32(g.strides[1]),
          u32(g.dilations[0]),
          u32(g.dilations[1])};
}

Rows rows_of(const Shape& shape) {
  int64_t numel = 1;
  for (const int64_t d : shape) numel *= d;
  const size_t channels = static_cast<size_t>(shape.empty() ? 1 : std::max<int64_t>(shape.back(), 1));
  return {static_cast<size_t>(numel) / channels, channels};
}

}  // namespace stride::xnnpack
