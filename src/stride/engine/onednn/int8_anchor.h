#pragma once
// The quantization of an int8 Conv, Gemm or MatMul (FusedGroup::int8): the int8 source it reads, its
// s8 weights with one scale per output channel, and its destination — the type and scale of the
// QuantizeLinear it absorbed, or f32. Everything becomes oneDNN's output scales:
//   real output = s_src · s_w[c] · (s32 accumulator + bias / (s_src · s_w[c])),
//   written as   round(real output / s_dst)  for an int8 destination.
// On CPUs without VNNI oneDNN adds pairs of u8×s8 products in s16 (VPMADDUBSW), which saturates.
// Some of its kernels halve the weights themselves (their weights layout says "scale adjust"); for
// the others Stride rounds the weights to 7 bits (twice the scale) so that 255 · 64 · 2 < 2^15:
// slightly coarser weights instead of wrong sums. With VNNI the s32 sums are exact.
#include <optional>
#include <vector>

#include "stride/engine/onednn/anchor_parts.h"

namespace stride::onednn {

struct Int8Anchor {
  QuantParams source;                // the data input's
  Tensor weights;                    // s8, in the weights' ONNX shape
  std::vector<float> weight_scales;  // one per output channel
  memory::data_type dst_type = memory::data_type::f32;
  float dst_scale = 1.0f;

  // The anchor's output scales with output channels on `channel_axis` of its destination.
  OutputScales output_scales(int channel_axis) const;
  // `bias` (real units, one per output channel) in units of the s32 accumulator.
  std::vector<float> accumulator_bias(const std::vector<float>& bias) const;
  // Rounds the weights to 7 bits, doubling their scales.
  void use_7bit_weights();
};

// Rounds s8 weights to 7 bits (w / 2, half to even): the caller doubles their scale.
void round_to_7bit(Tensor& s8_weights);

// True when a kernel taking weights in layout `weights` can saturate its sums on this CPU: no VNNI,
// and the kernel does not halve the weights itself.
bool saturates_without_7bit_weights(const memory::desc& weights);

// The primitive descriptor of an anchor that may run in int8: make(scales) builds it with the
// given output scales (nullptr for f32). For int8 whose kernel would saturate, the weights become
// 7-bit and it is built again.
template <typename PrimitiveDesc, typename Make>
std::pair<PrimitiveDesc, Epilogue> maybe_int8_primitive(std::optional<Int8Anchor>& int8, int channel_axis,
                                                        Make&& make) {
  if (!int8) return make(nullptr);
  OutputScales scales = int8->output_scales(channel_axis);
  auto made = make(&scales);
  if (!saturates_without_7bit_weights(made.first.weights_desc())) return made;
  int8->use_7bit_weights();
  scales = int8->output_scales(channel_axis);
  return make(&scales);
}

// Reads the group's quantization; the weights' scales must lie along `weight_channel_axis` (or be
// one for all) and there must be `out_channels` output channels.
Int8Anchor int8_anchor(const PlanBuilder& builder, const FusedGroup& group, size_t weight_channel_axis,
                       int64_t out_channels);

}  // namespace stride::onednn
