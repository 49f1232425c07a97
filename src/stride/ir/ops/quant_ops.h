#pragma once
// How QuantizeLinear and DequantizeLinear lay their scale and zero point over the data, shared by
// their shape functions and kernels (implemented in quant.cpp).
#include <optional>

#include "stride/ir/graph.h"

namespace stride::ops {

// The channel axis of per-axis quantization, or nullopt for per-tensor quantization (a scale of
// one element). Per-axis takes `axis` (default 1) and needs a 1-D scale as long as that dimension.
std::optional<size_t> quant_channel_axis(const Node& node, const Shape& x_shape, const Shape& scale_shape);

}  // namespace stride::ops
