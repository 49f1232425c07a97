#include "stride/core/finite_values.h"

#include <cmath>

namespace stride {

std::optional<NonFinite> first_non_finite(const Tensor& tensor) {
  if (tensor.dtype() != DType::f32 && tensor.dtype() != DType::f64 && tensor.dtype() != DType::f16 &&
      tensor.dtype() != DType::bf16)
    return std::nullopt;
  const Tensor f32 = tensor.dtype() == DType::f32 ? Tensor() : tensor.to_f32();
  const std::span<const float> values = (tensor.dtype() == DType::f32 ? tensor : f32).values<float>();
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i])) return NonFinite{static_cast<int64_t>(i), values[i]};
  return std::nullopt;
}

}  // namespace stride
