#include "stride/engine/xnnpack/channels_last.h"

#include <algorithm>

namespace stride::xnnpack {
namespace {

// N, C and the number of spatial positions of a channels-first shape.
struct Extent {
  int64_t n, c, positions;
};

Extent extent_of(const Shape& channels_first) {
  int64_t positions = 1;
  for (size_t d = 2; d < channels_first.size(); ++d) positions *= channels_first[d];
  return {channels_first[0], channels_first[1], positions};
}

// A transpose of each of n [rows × cols] matrices, in tiles that stay in cache.
void transpose(const float* src, float* dst, int64_t n, int64_t rows, int64_t cols) {
  constexpr int64_t kTile = 32;
  for (int64_t b = 0; b < n; ++b, src += rows * cols, dst += rows * cols)
    for (int64_t r0 = 0; r0 < rows; r0 += kTile)
      for (int64_t c0 = 0; c0 < cols; c0 += kTile)
        for (int64_t r = r0; r < std::min(rows, r0 + kTile); ++r)
          for (int64_t c = c0; c < std::min(cols, c0 + kTile); ++c) dst[c * rows + r] = src[r * cols + c];
}

}  // namespace

Shape channels_last_shape(const Shape& channels_first) {
  Shape s = channels_first;
  std::rotate(s.begin() + 1, s.begin() + 2, s.end());
  return s;
}

void to_channels_last(const Tensor& src, Tensor& dst) {
  const Extent e = extent_of(src.shape());
  transpose(src.data<float>(), dst.data<float>(), e.n, e.c, e.positions);
}

void to_channels_first(const Tensor& src, Tensor& dst) {
  const Extent e = extent_of(dst.shape());
  transpose(src.data<float>(), dst.data<float>(), e.n, e.positions, e.c);
}

}  // namespace stride::xnnpack
