#pragma once
// What the xnnpack backend reads from a QDQ graph (QuantizeLinear / DequantizeLinear around the
// quantized ops, as `stride quantize` and ONNX Runtime write them) to run it with XNNPACK's int8
// operators: activations quantized per tensor (u8 or s8, any zero point: XNNPACK takes one), and
// weights as s8 constants with zero point 0 and one scale per output channel or one for all
// (XNNPACK's qc8 convolution). onednn's matcher (engine/onednn/qdq_patterns.h) accepts zero
// point 0 only, the one oneDNN's int8 kernels take.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stride/engine/xnnpack/xnnpack_plan.h"

namespace stride::xnnpack {

// real = scale · (integer − zero_point), over the whole tensor.
struct Quantization {
  float scale = 1.0f;
  int32_t zero_point = 0;
  DType dtype = DType::u8;  // of the ONNX value: u8 or s8

  // The zero point of the values in XNNPACK's s8 form (channels_last.h).
  int8_t s8_zero_point() const { return static_cast<int8_t>(dtype == DType::u8 ? zero_point - 128 : zero_point); }
  bool operator==(const Quantization&) const = default;
};

// The quantization of a QuantizeLinear or DequantizeLinear node with a constant per-tensor scale
// (positive, finite) and zero point, its int8 side of type u8 or s8; nullopt otherwise.
std::optional<Quantization> per_tensor_quantization(const PlanBuilder& b, const Node& node);

// A run-time value computed as DequantizeLinear(source) with a per-tensor quantization.
struct Int8Source {
  std::string value;  // the u8 / s8 tensor
  Quantization quantization;
};
std::optional<Int8Source> dequantized_source(const PlanBuilder& b, const std::string& value);

// A constant computed as DequantizeLinear of s8 integers with zero point 0.
struct Int8Weights {
  const Tensor* integers = nullptr;
  std::vector<float> scales;  // one per index of `axis`, or one
  size_t axis = 0;
  // The scales of `channels` output channels on `axis` (one scale repeated); nullopt when they lie
  // along another axis.
  std::optional<std::vector<float>> channel_scales(size_t channel_axis, int64_t channels) const;
};
std::optional<Int8Weights> int8_weights(const PlanBuilder& b, const std::string& value);

// The QuantizeLinear that alone reads `value`, or the Relu that alone reads it: the nodes a
// producer computing int8 output absorbs. nullopt when `value` is read otherwise.
struct Requantization {
  const Node* relu = nullptr;  // absent: no Relu
  const Node* quantize = nullptr;
  Quantization quantization;
};
std::optional<Requantization> requantization(const PlanBuilder& b, const std::string& value);

}  // namespace stride::xnnpack
