#pragma once
// A dense, row-major tensor that owns its bytes. Copies are deep; moves are cheap.
#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

#include "stride/core/dtype.h"
#include "stride/core/error.h"
#include "stride/core/shape.h"

namespace stride {

class Tensor {
 public:
  Tensor() = default;
  // Zero-filled. Refuses (stride::Error) shapes that are not concrete or exceed kMaxTensorBytes.
  Tensor(DType dtype, Shape shape);
  // The same with `slack` bytes of allocated memory after the data, for a library that may read a
  // little past the end of its inputs (XNNPACK reads up to XNN_EXTRA_BYTES). A copy has no slack.
  static Tensor with_slack(DType dtype, Shape shape, size_t slack);

  template <typename T>
  static Tensor from_vector(Shape shape, const std::vector<T>& values) {
    Tensor t(DTypeOf<T>::value, std::move(shape));
    if (static_cast<int64_t>(values.size()) != t.numel())
      fail("tensor of shape {} needs {} values, got {}", shape_str(t.shape_), t.numel(), values.size());
    if (!values.empty()) std::memcpy(t.bytes_.data(), values.data(), t.bytes_.size());  // memcpy(null) is UB
    return t;
  }
  static Tensor scalar(float value) { return from_vector<float>({}, {value}); }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t dim(size_t i) const { return shape_.at(i); }
  size_t rank() const { return shape_.size(); }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty() && shape_.empty() && numel_ == 0; }

  std::byte* raw() { return bytes_.data(); }
  const std::byte* raw() const { return bytes_.data(); }

  // Typed views; throw if T does not match the tensor's dtype.
  template <typename T>
  T* data() {
    check_type(DTypeOf<T>::value);
    return reinterpret_cast<T*>(bytes_.data());
  }
  template <typename T>
  const T* data() const {
    check_type(DTypeOf<T>::value);
    return reinterpret_cast<const T*>(bytes_.data());
  }
  template <typename T>
  std::span<T> values() {
    return {data<T>(), static_cast<size_t>(numel_)};
  }
  template <typename T>
  std::span<const T> values() const {
    return {data<T>(), static_cast<size_t>(numel_)};
  }

  // Same bytes, new shape with the same element count.
  Tensor reshaped(Shape shape) const;
  // Element-wise conversion to f32 (from any dtype) and from f32 (to any dtype, saturating and
  // rounding to nearest for integer types).
  Tensor to_f32() const;
  Tensor cast(DType dtype) const;
  // Integer tensors (s32, s64, s8, u8) read as int64 values, e.g. shape or axes inputs.
  std::vector<int64_t> to_int64_vector() const;

  // Same dtype, shape and bytes.
  bool operator==(const Tensor&) const = default;

 private:
  void check_type(DType expected) const;

  DType dtype_ = DType::f32;
  Shape shape_;
  int64_t numel_ = 0;
  std::vector<std::byte> bytes_;
};

}  // namespace stride
