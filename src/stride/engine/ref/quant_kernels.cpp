#include <algorithm>
#include <cmath>
#include <limits>

#include "stride/engine/ref/kernels.h"
#include "stride/ir/ops/node_checks.h"
#include "stride/ir/ops/quant_ops.h"

namespace stride::ref {
namespace {

// Which scale and zero point element applies to element i of the data (row-major): per-tensor
// quantization has one channel; per-axis repeats each channel over the dims after the axis.
struct ChannelOf {
  int64_t inner = 1;
  int64_t channels = 1;
  size_t operator()(int64_t i) const { return static_cast<size_t>((i / inner) % channels); }
};

ChannelOf channel_of(const KernelContext& ctx) {
  const Shape& x = ctx.input(0).shape();
  const auto axis = ops::quant_channel_axis(ctx.node, x, ctx.input(1).shape());
  if (!axis) return {};
  return {shape_numel(Shape(x.begin() + static_cast<int64_t>(*axis) + 1, x.end())), x[*axis]};
}

// The zero point of `channel`, 0 when the node has none.
template <typename Q>
int64_t zero_point(const KernelContext& ctx, size_t channel) {
  const Tensor* zp = ctx.inputs.size() > 2 ? ctx.inputs[2] : nullptr;
  return zp ? static_cast<int64_t>(zp->data<Q>()[channel]) : 0;
}

// y = saturate(round_half_to_even(x / scale) + zero_point). std::nearbyint rounds half to even in
// the default rounding mode. A NaN has no integer value; it maps to the zero point (0 × scale).
template <typename Q>
void quantize_into(const KernelContext& ctx) {
  const auto x = ctx.input(0).values<float>();
  const float* scale = ctx.input(1).data<float>();
  Q* y = ctx.output(0).data<Q>();
  const ChannelOf channel = channel_of(ctx);
  constexpr double lo = std::numeric_limits<Q>::lowest();
  constexpr double hi = std::numeric_limits<Q>::max();
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t c = channel(static_cast<int64_t>(i));
    const double q = std::nearbyint(static_cast<double>(x[i] / scale[c]));
    const double shifted = (std::isnan(q) ? 0.0 : q) + static_cast<double>(zero_point<Q>(ctx, c));
    y[i] = static_cast<Q>(std::clamp(shifted, lo, hi));
  }
}

void quantize(const KernelContext& ctx) {
  if (ctx.output(0).dtype() == DType::s8)
    quantize_into<int8_t>(ctx);
  else
    quantize_into<uint8_t>(ctx);
}

// y = (x - zero_point) * scale, the difference taken exactly in integers.
template <typename Q>
void dequantize_from(const KernelContext& ctx) {
  const auto x = ctx.input(0).values<Q>();
  const float* scale = ctx.input(1).data<float>();
  float* y = ctx.output(0).data<float>();
  const ChannelOf channel = channel_of(ctx);
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t c = channel(static_cast<int64_t>(i));
    y[i] = static_cast<float>(static_cast<int64_t>(x[i]) - zero_point<Q>(ctx, c)) * scale[c];
  }
}

void dequantize(const KernelContext& ctx) {
  switch (ctx.input(0).dtype()) {
    case DType::s8: return dequantize_from<int8_t>(ctx);
    case DType::u8: return dequantize_from<uint8_t>(ctx);
    case DType::s32: return dequantize_from<int32_t>(ctx);
    default: ops::fail_at(ctx.node, "cannot read {} data", dtype_name(ctx.input(0).dtype()));
  }
}

// DynamicQuantizeLinear: the parameters from the data's own range, then QuantizeLinear's rounding.
void dynamic_quantize(const KernelContext& ctx) {
  const auto x = ctx.input(0).values<float>();
  float min = 0.0f, max = 0.0f;
  for (float v : x) {
    min = std::min(min, v);
    max = std::max(max, v);
  }
  const ops::DynamicQuantParams p = ops::dynamic_quant_params(min, max);
  uint8_t* y = ctx.output(0).data<uint8_t>();
  for (size_t i = 0; i < x.size(); ++i) y[i] = ops::dynamic_quantize(x[i], p);
  ctx.output(1).data<float>()[0] = p.scale;
  ctx.output(2).data<uint8_t>()[0] = p.zero_point;
}

}  // namespace

void register_quant_kernels(KernelRegistry& registry) {
  registry.add("QuantizeLinear", quantize);
  registry.add("DequantizeLinear", dequantize);
  registry.add("DynamicQuantizeLinear", dynamic_quantize);
}

}  // namespace stride::ref
