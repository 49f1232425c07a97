#pragma once
// Where a tensor stops holding numbers: the first NaN or infinity of a floating-point tensor. Work
// that derives scales, norms or thresholds from values (quantization, pruning, calibration) refuses
// such tensors where they enter, instead of turning them into zeros or scales of 1.
#include <cstdint>
#include <optional>

#include "stride/core/tensor.h"

namespace stride {

struct NonFinite {
  int64_t index = 0;  // flat, row-major
  double value = 0;   // NaN or ±inf
};

// Nothing for an integer tensor or one whose values are all finite.
std::optional<NonFinite> first_non_finite(const Tensor& tensor);

}  // namespace stride
