#pragma once
// ONNX tensors are channels-first (N, C, D1..Dn); XNNPACK's operators read and write channels-last
// (N, D1..Dn, C). These convert one layout into the other at the boundaries between the two.
// XNNPACK's int8 operators with one weight scale per output channel (qc8) are s8 only, so on the
// XNNPACK side a u8 value is held as s8: the byte minus 128, with its zero point lowered by 128 —
// the same real numbers, and what max pooling and additions see stays in order.
#include "stride/core/tensor.h"

namespace stride::xnnpack {

// The channels-last shape of a channels-first one: [N, C, D...] → [N, D..., C].
Shape channels_last_shape(const Shape& channels_first);

// The type XNNPACK's operators hold a value of `onnx` type in: s8 for u8, the type itself otherwise.
DType xnnpack_type(DType onnx);

// dst (channels-last) ← src (channels-first) and back; the shapes must correspond. f32, or int8
// turned into (and back from) XNNPACK's s8 form where the two types differ.
void to_channels_last(const Tensor& src, Tensor& dst);
void to_channels_first(const Tensor& src, Tensor& dst);

}  // namespace stride::xnnpack
