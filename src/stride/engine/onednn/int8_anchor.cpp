#include "stride/engine/onednn/int8_anchor.h"

#include <cmath>

namespace stride::onednn {

OutputScales Int8Anchor::output_scales(int channel_axis) const {
  OutputScales out{{}, channel_axis};
  for (float w : weight_scales) out.scales.push_back(source.scale * w / dst_scale);
  return out;
}

std::vector<float> Int8Anchor::accumulator_bias(const std::vector<float>& bias) const {
  std::vector<float> out(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) out[c] = bias[c] / (source.scale * weight_scales[c]);
  return out;
}

void round_to_7bit(Tensor& s8_weights) {
  for (int8_t& w : s8_weights.values<int8_t>()) w = static_cast<int8_t>(std::nearbyint(w / 2.0f));
}

void Int8Anchor::use_7bit_weights() {
  round_to_7bit(weights);
  for (float& s : weight_scales) s *= 2.0f;
}

bool saturates_without_7bit_weights(const memory::desc& weights) {
  const bool halves_itself = (weights.data.extra.flags & dnnl_memory_extra_flag_scale_adjust) != 0;
  return !has_exact_int8_dot_product() && !halves_itself;
}

Int8Anchor int8_anchor(const PlanBuilder& builder, const FusedGroup& group, size_t weight_channel_axis,
                       int64_t out_channels) {
  const Node& node = *group.anchor;
  const auto source = builder.qdq().dequantized(node.inputs.at(0));
  const auto weights = builder.qdq().quantized_constant(node.inputs.at(1));
  if (!source || !weights) fail_node(node, "is not an int8 anchor");
  Int8Anchor a;
  a.source = source->params;
  a.weights = *weights->integers;
  const size_t channels = static_cast<size_t>(out_channels);
  if (weights->scales.size() == 1) {
    a.weight_scales.assign(channels, weights->scales[0]);
  } else if (weights->axis == weight_channel_axis && weights->scales.size() == channels) {
    a.weight_scales = weights->scales;
  } else {
    fail_node(node, "its weights have {} scales along axis {}; int8 needs one or one per output channel (axis {})",
              weights->scales.size(), weights->axis, weight_channel_axis);
  }
  if (const Node* q = group.requantize()) {
    const QuantParams dst = *builder.qdq().quantize_params(*q);
    a.dst_type = dnnl_type(dst.dtype);
    a.dst_scale = dst.scale;
  }
  return a;
}

}  // namespace stride::onednn
