#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/strided_loop.h"
#include "stride/ir/ops/node_checks.h"

namespace stride::ref {
namespace {

// y = f(x) element by element.
template <typename F>
void map_elements(const KernelContext& ctx, F f) {
  auto x = ctx.input(0).values<float>();
  auto y = ctx.output(0).values<float>();
  std::transform(x.begin(), x.end(), y.begin(), f);
}

template <typename F>
Kernel unary_kernel(F f) {
  return [f](const KernelContext& ctx) { map_elements(ctx, f); };
}

// y = op(a, b) with both inputs broadcast to y's shape.
template <typename Op>
Kernel binary_kernel(Op op) {
  return [op](const KernelContext& ctx) {
    const Tensor& a = ctx.input(0);
    const Tensor& b = ctx.input(1);
    Tensor& y = ctx.output(0);
    const float* pa = a.data<float>();
    const float* pb = b.data<float>();
    float* py = y.data<float>();
    const std::array<Strides, 2> strides{broadcast_strides(a.shape(), y.shape()),
                                         broadcast_strides(b.shape(), y.shape())};
    for_each_offset(y.shape(), strides, [&](const std::array<int64_t, 2>& at) { *py++ = op(pa[at[0]], pb[at[1]]); });
  };
}

// A Clip bound from its input (opset 11+), its attribute (opset 6) or the dtype's limit.
float clip_bound(const KernelContext& ctx, const std::string& name, size_t input, float fallback) {
  if (ops::uses_input(ctx.node, input)) return ctx.input(input).values<float>()[0];
  return ops::float_attr(ctx.node, name, fallback);
}

void clip(const KernelContext& ctx) {
  const float lo = clip_bound(ctx, "min", 1, std::numeric_limits<float>::lowest());
  const float hi = clip_bound(ctx, "max", 2, std::numeric_limits<float>::max());
  // min before max: when lo > hi every element becomes hi, as the ONNX spec says.
  map_elements(ctx, [lo, hi](float v) { return std::min(std::max(v, lo), hi); });
}

void leaky_relu(const KernelContext& ctx) {
  const float alpha = ops::float_attr(ctx.node, "alpha", 0.01f);
  map_elements(ctx, [alpha](float v) { return v < 0.0f ? alpha * v : v; });
}

}  // namespace

void register_elementwise_kernels(KernelRegistry& registry) {
  registry.add("Relu", unary_kernel([](float v) { return std::max(v, 0.0f); }));
  registry.add("Sigmoid", unary_kernel([](float v) { return 1.0f / (1.0f + std::exp(-v)); }));
  registry.add("Tanh", unary_kernel([](float v) { return std::tanh(v); }));
  registry.add("LeakyRelu", leaky_relu);
  registry.add("Clip", clip);
  registry.add("Add", binary_kernel(std::plus<float>()));
  registry.add("Sub", binary_kernel(std::minus<float>()));
  registry.add("Mul", binary_kernel(std::multiplies<float>()));
  registry.add("Div", binary_kernel(std::divides<float>()));
}

}  // namespace stride::ref
