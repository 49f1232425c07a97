#pragma once
// QDQ graphs for the backend tests: QuantizeLinear → DequantizeLinear pairs on activations and s8
// weights behind DequantizeLinear, as `stride quantize` writes them, and the distance between two
// results in units of a quantization step.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "graph_maker.h"

namespace stride::testing {

// Adds QuantizeLinear → DequantizeLinear of `x` with one scale and zero point of type `dtype`;
// returns the dequantized value.
inline std::string fake_quantize(GraphMaker& m, const std::string& x, float scale, DType dtype,
                                 int32_t zero_point = 0) {
  Tensor zp_value(dtype, {});
  if (dtype == DType::u8)
    zp_value.data<uint8_t>()[0] = static_cast<uint8_t>(zero_point);
  else
    zp_value.data<int8_t>()[0] = static_cast<int8_t>(zero_point);
  const std::string zp = m.constant(x + "_zp", zp_value);
  const std::string s = m.constant(x + "_scale", Tensor::scalar(scale));
  m.node("QuantizeLinear", x + "_q", {x, s, zp});
  return m.node("DequantizeLinear", x + "_dq", {x + "_q", s, zp});
}

// Random weights quantized symmetrically to s8 with one scale per index of `axis`; returns the
// DequantizeLinear of them. The integers are even, so that they lose nothing where oneDNN (or the
// backend) halves them on CPUs without VNNI: there too the int8 result must match ref.
inline std::string quantized_weight(GraphMaker& m, const std::string& name, const Shape& shape, size_t axis,
                                    uint64_t seed) {
  const Tensor w = random_tensor(shape, seed);
  const int64_t channels = shape[axis];
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  std::vector<float> absmax(static_cast<size_t>(channels), 0.0f);
  const auto v = w.values<float>();
  auto channel = [&](size_t i) { return static_cast<size_t>((static_cast<int64_t>(i) / inner) % channels); };
  for (size_t i = 0; i < v.size(); ++i) absmax[channel(i)] = std::max(absmax[channel(i)], std::abs(v[i]));
  Tensor q(DType::s8, shape);
  std::vector<float> scales(absmax.size());
  for (size_t c = 0; c < scales.size(); ++c) scales[c] = absmax[c] / 126.0f;
  for (size_t i = 0; i < v.size(); ++i)
    q.data<int8_t>()[i] = static_cast<int8_t>(2 * std::nearbyint(v[i] / scales[channel(i)] / 2));
  m.constant(name + "_s8", q);
  m.constant(name + "_scale", Tensor::from_vector<float>({channels}, scales));
  m.constant(name + "_zp", Tensor(DType::s8, {channels}));
  return m.node("DequantizeLinear", name, {name + "_s8", name + "_scale", name + "_zp"},
                attributes({{"axis", static_cast<int64_t>(axis)}}));
}

// x [-1, 8, 12, 12] quantized (scale 1/127, `input_type`) → Conv 3×3 with 16 output channels (s8
// weights with per-channel scales, an f32 bias, padding 1) → Relu → quantized (0.02, u8): the int8
// layer every engine must run as one operator. A u8 input saturates the negative inputs at 0.
inline Graph qdq_conv_relu(DType input_type) {
  GraphMaker m;
  m.input("x", {-1, 8, 12, 12});
  const std::string x = fake_quantize(m, "x", 1.0f / 127, input_type);
  const std::string w = quantized_weight(m, "w", {16, 8, 3, 3}, 0, 7);
  m.constant("b", Tensor::from_vector<float>({16}, std::vector<float>(16, 0.05f)));
  m.node("Conv", "conv", {x, w, "b"}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Relu", "relu", {"conv"});
  m.output(fake_quantize(m, "relu", 0.02f, DType::u8));
  return m.graph();
}

// The largest |a - b| over two tensors of one shape.
inline double max_abs_difference(const Tensor& a, const Tensor& b) {
  const Tensor fa = a.to_f32(), fb = b.to_f32();
  double worst = 0;
  for (size_t i = 0; i < fa.values<float>().size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(fa.values<float>()[i]) - fb.values<float>()[i]));
  return worst;
}

}  // namespace stride::testing
