#pragma once
// Element types of Stride tensors and their ONNX names.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stride {

enum class DType : uint8_t { f32, f16, bf16, s8, u8, s32, s64, f64 };

size_t dtype_size(DType dtype);
std::string_view dtype_name(DType dtype);  // "f32", "s8", ...
// Parses the names dtype_name() produces; throws stride::Error on anything else.
DType dtype_from_name(std::string_view name);

// Maps a C++ element type to its DType at compile time.
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::f32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::f64; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::s8; };
template <> struct DTypeOf<uint8_t> { static constexpr DType value = DType::u8; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::s32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::s64; };

}  // namespace stride
