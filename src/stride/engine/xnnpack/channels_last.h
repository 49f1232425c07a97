#pragma once
// ONNX tensors are channels-first (N, C, D1..Dn); XNNPACK's operators read and write channels-last
// (N, D1..Dn, C). These convert one layout into the other at the boundaries between the two.
#include "stride/core/tensor.h"

namespace stride::xnnpack {

// The channels-last shape of a channels-first one: [N, C, D...] → [N, D..., C].
Shape channels_last_shape(const Shape& channels_first);

// dst (channels-last, f32) ← src (channels-first, f32) and back; the shapes must correspond.
void to_channels_last(const Tensor& src, Tensor& dst);
void to_channels_first(const Tensor& src, Tensor& dst);

}  // namespace stride::xnnpack
