#pragma once
// What the onednn backend reads from a QDQ graph (QuantizeLinear / DequantizeLinear pairs around the
// quantized ops, as ONNX Runtime and `stride quantize` write them) to run it in int8:
//   - activations: DequantizeLinear of a run-time u8 or s8 tensor, one scale, zero point 0;
//   - weights: DequantizeLinear of an s8 initializer, one scale per output channel (or one), zero point 0;
//   - requantization: QuantizeLinear to u8 or s8 with one scale and zero point 0.
// Anything else (asymmetric activations, per-channel activations) still runs, in f32: its
// QuantizeLinear and DequantizeLinear nodes become scaled conversions.
#include <map>
#include <optional>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <vector>

#include "stride/engine/onednn/dnnl_util.h"
#include "stride/ir/shape_inference.h"

namespace stride::onednn {

// A per-tensor quantization with zero point 0: real = scale · integer.
struct QuantParams {
  float scale = 1.0f;
  DType dtype = DType::u8;  // u8 or s8
  bool operator==(const QuantParams& o) const { return scale == o.scale && dtype == o.dtype; }
};

// A run-time value computed as DequantizeLinear(source).
struct DequantizedValue {
  std::string source;  // the u8 / s8 tensor
  QuantParams params;
};

// A constant computed as DequantizeLinear(integers) with scales along `axis`.
struct QuantizedConstant {
  const Tensor* integers = nullptr;  // s8
  std::vector<float> scales;         // one, or one per index of `axis`
  size_t axis = 0;
};

class QdqPatterns {
 public:
  QdqPatterns(const Graph& graph, const GraphShapes& shapes);

  // `value` as the DequantizeLinear of a run-time int8 tensor the int8 kernels can read directly.
  std::optional<DequantizedValue> dequantized(const std::string& value) const;
  // `value` as the DequantizeLinear of an s8 initializer with zero point 0.
  std::optional<QuantizedConstant> quantized_constant(const std::string& value) const;
  // The parameters of a QuantizeLinear node the int8 kernels can write.
  std::optional<QuantParams> quantize_params(const Node& quantize) const;
  // The type `value` is stored in when it is a Cast to f32 of an f16 or bf16 constant (weights
  // stored in half precision): the precision those weights were meant to compute in.
  std::optional<DType> stored_precision(const std::string& value) const;
  // The node computing `value`; nullptr for graph inputs and initializers.
  const Node* producer(const std::string& value) const;

 private:
  // Scale and zero point of a Quantize/DequantizeLinear node when they are per-tensor constants
  // with zero point 0; the int8 type comes from `dtype`.
  std::optional<QuantParams> per_tensor_params(const Node& node, DType dtype) const;

  const Graph& graph_;
  const GraphShapes& shapes_;
  std::map<std::string, const Node*> producers_;
};


}  // namespace stride::onednn
