#include "stride/core/dtype.h"

#include <array>

#include "stride/core/error.h"

namespace stride {
namespace {
struct DTypeInfo {
  DType dtype;
  std::string_view name;
  size_t size;
};
constexpr std::array<DTypeInfo, 8> kDTypes{{{DType::f32, "f32", 4},
                                            {DType::f16, "f16", 2},
                                            {DType::bf16, "bf16", 2},
                                            {DType::s8, "s8", 1},
                                            {DType::u8, "u8", 1},
                                            {DType::s32, "s32", 4},
                                            {DType::s64, "s64", 8},
                                            {DType::f64, "f64", 8}}};

const DTypeInfo& info(DType dtype) {
  for (const auto& i : kDTypes)
    if (i.dtype == dtype) return i;
  fail("invalid dtype value {}", static_cast<int>(dtype));
}
}  // namespace

size_t dtype_size(DType dtype) { return info(dtype).size; }
std::string_view dtype_name(DType dtype) { return info(dtype).name; }

DType dtype_from_name(std::string_view name) {
  for (const auto& i : kDTypes)
    if (i.name == name) return i.dtype;
  fail("unknown dtype '{}' (expected f32, f16, bf16, s8, u8, s32, s64 or f64)", name);
}

}  // namespace stride
