#pragma once
// The numbers of int8 quantization: symmetric per-channel s8 weights, int32 biases on the
// accumulator's scale, and per-tensor activations with zero point 0 (u8 when never negative).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/quant/calibration.h"

namespace stride::quant {

struct QuantizedWeight {
  Tensor values;              // s8, the weight's shape
  std::vector<float> scales;  // one per output channel, or one for the whole tensor
};

// scale = max |w| / 127 over each slice of `axis` (or the whole tensor), q = round(w / scale).
// An all-zero slice gets scale 1 (any scale represents it exactly).
QuantizedWeight quantize_weight(const Tensor& weight, size_t axis, bool per_channel);

// q = round(b / (input_scale · weight_scale[c])), saturated to int32; `bias` is 1-D.
Tensor quantize_bias(const Tensor& bias, float input_scale, const std::vector<float>& weight_scales);

struct ActivationQuant {
  DType type = DType::u8;  // u8 for a range that is never negative, else s8
  float scale = 1;
};

// u8 with scale max/255 when range.min ≥ 0, else s8 with scale max|x|/127. A range of zero width
// (an activation that was always 0) gets scale 1.
ActivationQuant activation_quant(const Range& range);

// The one scale and type of activations that share them: activation_quant of their joint range.
// Throws naming an activation without a range.
ActivationQuant group_quant(const std::vector<std::string>& group, const std::map<std::string, Range>& ranges);

}  // namespace stride::quant
