#include "stride/quant/int8_scales.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace stride::quant {

QuantizedWeight quantize_weight(const Tensor& weight, size_t axis, bool per_channel) {
  if (axis >= weight.rank()) fail("weight of shape {} has no axis {}", shape_str(weight.shape()), axis);
  const Tensor w = weight.to_f32();
  const auto values = w.values<float>();
  const int64_t channels = per_channel ? w.dim(axis) : 1;
  int64_t inner = 1;
  for (size_t d = axis + 1; d < w.rank(); ++d) inner *= w.dim(d);
  auto channel_of = [&](size_t i) { return per_channel ? (static_cast<int64_t>(i) / inner) % channels : 0; };

  std::vector<float> absmax(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) absmax[channel_of(i)] = std::max(absmax[channel_of(i)], std::fabs(values[i]));
  QuantizedWeight q{Tensor(DType::s8, w.shape()), {}};
  for (float m : absmax) q.scales.push_back(m > 0 ? m / 127.0f : 1.0f);
  int8_t* out = q.values.data<int8_t>();
  for (size_t i = 0; i < values.size(); ++i) {
    const double r = std::nearbyint(static_cast<double>(values[i]) / q.scales[channel_of(i)]);
    out[i] = static_cast<int8_t>(std::clamp(r, -127.0, 127.0));
  }
  return q;
}

Tensor quantize_bias(const Tensor& bias, float input_scale, const std::vector<float>& weight_scales) {
  const Tensor b = bias.to_f32();
  const auto values = b.values<float>();
  if (b.rank() != 1 || (weight_scales.size() != 1 && weight_scales.size() != values.size()))
    fail("a bias of shape {} does not match {} weight scales", shape_str(b.shape()), weight_scales.size());
  Tensor q(DType::s32, b.shape());
  int32_t* out = q.data<int32_t>();
  constexpr double lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  for (size_t c = 0; c < values.size(); ++c) {
    const double scale = double(input_scale) * weight_scales[weight_scales.size() == 1 ? 0 : c];
    out[c] = static_cast<int32_t>(std::clamp(std::nearbyint(values[c] / scale), lo, hi));
  }
  return q;
}

ActivationQuant activation_quant(const Range& range) {
  if (range.min >= 0) return {DType::u8, range.max > 0 ? static_cast<float>(range.max / 255.0) : 1.0f};
  const double largest = std::max(std::fabs(range.min), std::fabs(range.max));
  return {DType::s8, largest > 0 ? static_cast<float>(largest / 127.0) : 1.0f};
}

ActivationQuant group_quant(const std::vector<std::string>& group, const std::map<std::string, Range>& ranges) {
  Range joint{0, 0};
  for (const std::string& value : group) {
    auto it = ranges.find(value);
    if (it == ranges.end()) fail("no calibrated range for activation '{}'", value);
    joint.min = std::min(joint.min, it->second.min);
    joint.max = std::max(joint.max, it->second.max);
  }
  return activation_quant(joint);
}

}  // namespace stride::quant
