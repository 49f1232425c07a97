#pragma once
// How QuantizeLinear and DequantizeLinear lay their scale and zero point over the data, shared by
// their shape functions and kernels (implemented in quant.cpp).
#include <cstdint>
#include <optional>

#include "stride/ir/graph.h"

namespace stride::ops {

// The channel axis of per-axis quantization, or nullopt for per-tensor quantization (a scale of
// one element). Per-axis takes `axis` (default 1) and needs a 1-D scale as long as that dimension.
std::optional<size_t> quant_channel_axis(const Node& node, const Shape& x_shape, const Shape& scale_shape);

// DynamicQuantizeLinear's u8 parameters for data spanning [min, max]: the range is widened to hold 0,
// scale = range / 255 and zero point = round_half_to_even(-min / scale), saturated. A range of zero
// (all data 0) takes scale 1, as ONNX Runtime does, instead of dividing by zero.
struct DynamicQuantParams {
  float scale = 1.0f;
  uint8_t zero_point = 0;
};
DynamicQuantParams dynamic_quant_params(float min, float max);
// saturate(round_half_to_even(x / scale) + zero point); NaN maps to the zero point.
uint8_t dynamic_quantize(float x, const DynamicQuantParams& p);

}  // namespace stride::ops
