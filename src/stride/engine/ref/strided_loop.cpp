#include "stride/engine/ref/strided_loop.h"

namespace stride::ref {

Strides contiguous_strides(const Shape& shape) {
  Strides strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) strides[d - 1] = strides[d] * shape[d];
  return strides;
}

Strides broadcast_strides(const Shape& in, const Shape& out) {
  const Strides dense = contiguous_strides(in);
  Strides strides(out.size(), 0);
  const size_t offset = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d)
    if (in[d] != 1) strides[offset + d] = dense[d];
  return strides;
}

}  // namespace stride::ref
