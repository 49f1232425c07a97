#include "stride/engine/xnnpack/channels_last.h"

#include <algorithm>
#include <cstdint>

#include "stride/core/error.h"

namespace stride::xnnpack {
namespace {

// N, C and the number of spatial positions of a channels-first shape.
struct Extent {
  int64_t n, c, positions;
};

Extent extent_of(const Shape& channels_first) {
  if (channels_first.empty()) return {1, 1, 1};
  int64_t positions = 1;
  for (size_t d = 2; d < channels_first.size(); ++d) positions *= channels_first[d];
  return {channels_first[0], channels_first.size() > 1 ? channels_first[1] : 1, positions};
}

// A transpose of each of n [rows × cols] matrices, in tiles that stay in cache.
template <typename T>
void transpose(const T* src, T* dst, int64_t n, int64_t rows, int64_t cols) {
  constexpr int64_t kTile = 32;
  for (int64_t b = 0; b < n; ++b, src += rows * cols, dst += rows * cols)
    for (int64_t r0 = 0; r0 < rows; r0 += kTile)
      for (int64_t c0 = 0; c0 < cols; c0 += kTile)
        for (int64_t r = r0; r < std::min(rows, r0 + kTile); ++r)
          for (int64_t c = c0; c < std::min(cols, c0 + kTile); ++c) dst[c * rows + r] = src[r * cols + c];
}

bool is_int8(DType t) { return t == DType::u8 || t == DType::s8; }

// Transposes src into dst as n [rows × cols] matrices; between u8 and s8 the bytes also move by 128.
void transpose_values(const Tensor& src, Tensor& dst, int64_t n, int64_t rows, int64_t cols) {
  if (src.dtype() == DType::f32 && dst.dtype() == DType::f32) {
    transpose(src.data<float>(), dst.data<float>(), n, rows, cols);
    return;
  }
  if (!is_int8(src.dtype()) || !is_int8(dst.dtype()))
    fail("the xnnpack backend changes the layout of f32 and int8 values, not {} to {}", dtype_name(src.dtype()),
         dtype_name(dst.dtype()));
  auto* out = reinterpret_cast<uint8_t*>(dst.raw());
  transpose(reinterpret_cast<const uint8_t*>(src.raw()), out, n, rows, cols);
  if (src.dtype() != dst.dtype())  // u8 v ↔ s8 v − 128: the top bit flips
    for (int64_t i = 0; i < n * rows * cols; ++i) out[i] ^= 0x80;
}

}  // namespace

Shape channels_last_shape(const Shape& channels_first) {
  Shape s = channels_first;
  if (s.size() > 2) std::rotate(s.begin() + 1, s.begin() + 2, s.end());
  return s;
}

DType xnnpack_type(DType onnx) { return onnx == DType::u8 ? DType::s8 : onnx; }

void to_channels_last(const Tensor& src, Tensor& dst) {
  const Extent e = extent_of(src.shape());
  transpose_values(src, dst, e.n, e.c, e.positions);
}

void to_channels_first(const Tensor& src, Tensor& dst) {
  const Extent e = extent_of(dst.shape());
  transpose_values(src, dst, e.n, e.positions, e.c);
}

}  // namespace stride::xnnpack
