#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "stride/core/half.h"
#include "stride/engine/ref/kernels.h"

namespace stride::ref {
namespace {

bool is_integer(DType dtype) {
  return dtype == DType::s8 || dtype == DType::u8 || dtype == DType::s32 || dtype == DType::s64;
}

template <typename T>
T load(const std::byte* p, size_t i) {
  T v;
  std::memcpy(&v, p + i * sizeof(T), sizeof(T));
  return v;
}

template <typename T>
void store(std::byte* p, size_t i, T v) {
  std::memcpy(p + i * sizeof(T), &v, sizeof(T));
}

double load_double(DType dtype, const std::byte* p, size_t i) {
  switch (dtype) {
    case DType::f32: return load<float>(p, i);
    case DType::f64: return load<double>(p, i);
    case DType::f16: return half_to_float(load<uint16_t>(p, i));
    case DType::bf16: return bf16_to_float(load<uint16_t>(p, i));
    case DType::s8: return load<int8_t>(p, i);
    case DType::u8: return load<uint8_t>(p, i);
    case DType::s32: return load<int32_t>(p, i);
    case DType::s64: return static_cast<double>(load<int64_t>(p, i));
  }
  return 0;
}

int64_t load_int(DType dtype, const std::byte* p, size_t i) {
  switch (dtype) {
    case DType::s8: return load<int8_t>(p, i);
    case DType::u8: return load<uint8_t>(p, i);
    case DType::s32: return load<int32_t>(p, i);
    case DType::s64: return load<int64_t>(p, i);
    default: return 0;
  }
}

// Integer targets saturate; a float is truncated toward zero first (as NumPy's astype, which
// ONNX's reference uses), and NaN becomes 0.
template <typename T>
void store_integer(std::byte* p, size_t i, double v) {
  const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  store<T>(p, i, std::isnan(v) ? T{0} : static_cast<T>(std::clamp(std::trunc(v), lo, hi)));
}

void store_double(DType dtype, std::byte* p, size_t i, double v) {
  switch (dtype) {
    case DType::f32: return store<float>(p, i, static_cast<float>(v));
    case DType::f64: return store<double>(p, i, v);
    case DType::f16: return store<uint16_t>(p, i, float_to_half(static_cast<float>(v)));
    case DType::bf16: return store<uint16_t>(p, i, float_to_bf16(static_cast<float>(v)));
    case DType::s8: return store_integer<int8_t>(p, i, v);
    case DType::u8: return store_integer<uint8_t>(p, i, v);
    case DType::s32: return store_integer<int32_t>(p, i, v);
    case DType::s64: return store_integer<int64_t>(p, i, v);
  }
}

template <typename T>
void store_from_int(std::byte* p, size_t i, int64_t v) {
  const int64_t lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
  store<T>(p, i, static_cast<T>(std::clamp(v, lo, hi)));
}

// Integer to integer goes through int64 so that large int64 values stay exact.
void store_int(DType dtype, std::byte* p, size_t i, int64_t v) {
  switch (dtype) {
    case DType::s8: return store_from_int<int8_t>(p, i, v);
    case DType::u8: return store_from_int<uint8_t>(p, i, v);
    case DType::s32: return store_from_int<int32_t>(p, i, v);
    default: return store<int64_t>(p, i, v);
  }
}

void cast(const KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  Tensor& y = ctx.output(0);
  const bool integers = is_integer(x.dtype()) && is_integer(y.dtype());
  for (size_t i = 0; i < static_cast<size_t>(x.numel()); ++i) {
    if (integers)
      store_int(y.dtype(), y.raw(), i, load_int(x.dtype(), x.raw(), i));
    else
      store_double(y.dtype(), y.raw(), i, load_double(x.dtype(), x.raw(), i));
  }
}

}  // namespace

void register_cast_kernels(KernelRegistry& registry) { registry.add("Cast", cast); }

}  // namespace stride::ref
