#pragma once
// Walking a row-major index space while tracking where each index lands in other tensors, given
// their strides: the one loop behind broadcasting, transposition and reduction in the ref kernels.
#include <array>
#include <cstdint>
#include <vector>

#include "stride/core/shape.h"

namespace stride::ref {

// Element strides per dimension. A stride of 0 revisits the same elements along that dimension.
using Strides = std::vector<int64_t>;

// Strides of a dense row-major tensor of `shape`.
Strides contiguous_strides(const Shape& shape);

// Strides that read a tensor of shape `in` as if broadcast (numpy rule) to `out`: `in` is aligned
// on its last dimension, and its missing or size-1 dimensions get stride 0. `in` must broadcast.
Strides broadcast_strides(const Shape& in, const Shape& out);

// Calls visit(offsets) for every index of `shape` in row-major order, where offsets[k] is the sum
// over dimensions d of index[d] * strides[k][d]. Every strides[k] has one entry per dimension.
template <size_t N, typename Visit>
void for_each_offset(const Shape& shape, const std::array<Strides, N>& strides, Visit&& visit) {
  const int64_t count = shape_numel(shape);
  std::vector<int64_t> index(shape.size(), 0);
  std::array<int64_t, N> offsets{};
  for (int64_t n = 0; n < count; ++n) {
    visit(offsets);
    // Advance like an odometer: bump the last dimension, carrying into earlier ones.
    for (size_t d = shape.size(); d-- > 0;) {
      for (size_t k = 0; k < N; ++k) offsets[k] += strides[k][d];
      if (++index[d] < shape[d]) break;
      for (size_t k = 0; k < N; ++k) offsets[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace stride::ref
