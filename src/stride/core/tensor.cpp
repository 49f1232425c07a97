#include "stride/core/tensor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stride/core/half.h"
#include "stride/core/memory_budget.h"

namespace stride {

Tensor::Tensor(DType dtype, Shape shape) : dtype_(dtype), shape_(std::move(shape)) {
  numel_ = shape_numel(shape_);
  const int64_t elem = static_cast<int64_t>(dtype_size(dtype_));
  if (numel_ > kMaxTensorBytes / elem)
    fail("tensor of shape {} ({}) would need more than {} GiB", shape_str(shape_), dtype_name(dtype_),
         kMaxTensorBytes >> 30);
  check_memory(static_cast<uint64_t>(numel_ * elem),
               fmt::format("a {} tensor of shape {}", dtype_name(dtype_), shape_str(shape_)));
  bytes_.assign(static_cast<size_t>(numel_ * elem), std::byte{0});
}

Tensor Tensor::with_slack(DType dtype, Shape shape, size_t slack) {
  Tensor t(dtype, std::move(shape));
  t.bytes_.reserve(t.bytes_.size() + slack);
  return t;
}

void Tensor::check_type(DType expected) const {
  if (dtype_ != expected) fail("tensor holds {} but was read as {}", dtype_name(dtype_), dtype_name(expected));
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_numel(shape) != numel_)
    fail("cannot reshape {} to {}: element counts differ", shape_str(shape_), shape_str(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

namespace {
template <typename T>
float load_as_float(const std::byte* p, size_t i) {
  T v;
  std::memcpy(&v, p + i * sizeof(T), sizeof(T));
  return static_cast<float>(v);
}

float element_as_float(DType dtype, const std::byte* p, size_t i) {
  switch (dtype) {
    case DType::f32:
      return load_as_float<float>(p, i);
    case DType::f64:
      return load_as_float<double>(p, i);
    case DType::f16: {
      uint16_t b;
      std::memcpy(&b, p + 2 * i, 2);
      return half_to_float(b);
    }
    case DType::bf16: {
      uint16_t b;
      std::memcpy(&b, p + 2 * i, 2);
      return bf16_to_float(b);
    }
    case DType::s8:
      return load_as_float<int8_t>(p, i);
    case DType::u8:
      return load_as_float<uint8_t>(p, i);
    case DType::s32:
      return load_as_float<int32_t>(p, i);
    case DType::s64:
      return load_as_float<int64_t>(p, i);
  }
  fail("invalid dtype");
}

template <typename T>
void store_saturated(std::byte* p, size_t i, float v) {
  const double r = std::nearbyint(static_cast<double>(v));
  const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  const T out = std::isnan(r) ? T{0} : static_cast<T>(std::clamp(r, lo, hi));
  std::memcpy(p + i * sizeof(T), &out, sizeof(T));
}

void store_from_float(DType dtype, std::byte* p, size_t i, float v) {
  switch (dtype) {
    case DType::f32:
      std::memcpy(p + 4 * i, &v, 4);
      return;
    case DType::f64: {
      const double d = v;
      std::memcpy(p + 8 * i, &d, 8);
      return;
    }
    case DType::f16: {
      const uint16_t b = float_to_half(v);
      std::memcpy(p + 2 * i, &b, 2);
      return;
    }
    case DType::bf16: {
      const uint16_t b = float_to_bf16(v);
      std::memcpy(p + 2 * i, &b, 2);
      return;
    }
    case DType::s8:
      store_saturated<int8_t>(p, i, v);
      return;
    case DType::u8:
      store_saturated<uint8_t>(p, i, v);
      return;
    case DType::s32:
      store_saturated<int32_t>(p, i, v);
      return;
    case DType::s64:
      store_saturated<int64_t>(p, i, v);
      return;
  }
}
}  // namespace

Tensor Tensor::to_f32() const { return cast(DType::f32); }

Tensor Tensor::cast(DType dtype) const {
  if (dtype == dtype_) return *this;
  Tensor out(dtype, shape_);
  for (int64_t i = 0; i < numel_; ++i)
    store_from_float(dtype, out.raw(), static_cast<size_t>(i), element_as_float(dtype_, raw(), static_cast<size_t>(i)));
  return out;
}

std::vector<int64_t> Tensor::to_int64_vector() const {
  std::vector<int64_t> out(static_cast<size_t>(numel_));
  switch (dtype_) {
    case DType::s64:
      std::copy_n(data<int64_t>(), numel_, out.begin());
      break;
    case DType::s32:
      std::copy_n(data<int32_t>(), numel_, out.begin());
      break;
    case DType::s8:
      std::copy_n(data<int8_t>(), numel_, out.begin());
      break;
    case DType::u8:
      std::copy_n(data<uint8_t>(), numel_, out.begin());
      break;
    default:
      fail("expected an integer tensor, got {}", dtype_name(dtype_));
  }
  return out;
}

}  // namespace stride
