#pragma once
// IEEE half and bfloat16 conversions (round to nearest even), used for f16/bf16 tensors.
#include <cstdint>

namespace stride {

uint16_t float_to_half(float value);
float half_to_float(uint16_t bits);
uint16_t float_to_bf16(float value);
float bf16_to_float(uint16_t bits);

}  // namespace stride
