#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "stride/engine/ref/dtype_dispatch.h"
#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/strided_loop.h"
#include "stride/ir/ops/node_checks.h"

namespace stride::ref {
namespace {

// y = f(x) element by element, both of element type T.
template <typename T = float, typename F>
void map_elements(const KernelContext& ctx, F f) {
  auto x = ctx.input(0).values<T>();
  auto y = ctx.output(0).values<T>();
  std::transform(x.begin(), x.end(), y.begin(), f);
}

template <typename F>
Kernel unary_kernel(F f) {
  return [f](const KernelContext& ctx) { map_elements(ctx, f); };
}

// op on integers wraps around, as numpy's does: computed on the unsigned type, where C++ defines it.
template <typename T, typename Op>
T apply(Op op, T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(op(static_cast<U>(a), static_cast<U>(b)));
  } else {
    return op(a, b);
  }
}

// Calls f(T{}) for the element type of `dtype` among those Add, Sub, Mul and Clip take (see
// ops/elementwise.cpp).
template <typename F>
void dispatch_arithmetic(const KernelContext& ctx, DType dtype, F&& f) {
  dispatch_dtype<float, double, uint8_t, int8_t, int32_t, int64_t>(ctx, dtype, std::forward<F>(f));
}

// y = op(a, b) with both inputs broadcast to y's shape, for y's dtype as `dispatch` picks it.
template <typename Op, typename Dispatch>
Kernel binary_kernel(Op op, Dispatch dispatch) {
  return [op, dispatch](const KernelContext& ctx) {
    dispatch(ctx, ctx.output(0).dtype(), [&]<typename T>(T) {
      const Tensor& a = ctx.input(0);
      const Tensor& b = ctx.input(1);
      Tensor& y = ctx.output(0);
      const T* pa = a.data<T>();
      const T* pb = b.data<T>();
      T* py = y.data<T>();
      const std::array<Strides, 2> strides{broadcast_strides(a.shape(), y.shape()),
                                           broadcast_strides(b.shape(), y.shape())};
      for_each_offset(y.shape(), strides,
                      [&](const std::array<int64_t, 2>& at) { *py++ = apply(op, pa[at[0]], pb[at[1]]); });
    });
  };
}

// A Clip bound from its input (opset 11+), its attribute (opset 6, floats only) or the dtype's limit.
template <typename T>
T clip_bound(const KernelContext& ctx, const std::string& name, size_t input, T fallback) {
  if (ops::uses_input(ctx.node, input)) return ctx.input(input).values<T>()[0];
  if constexpr (std::is_floating_point_v<T>) {
    if (const auto attr = ops::optional_float_attr(ctx.node, name)) return *attr;
  }
  return fallback;
}

void clip(const KernelContext& ctx) {
  dispatch_arithmetic(ctx, ctx.input(0).dtype(), [&]<typename T>(T) {
    const T lo = clip_bound<T>(ctx, "min", 1, std::numeric_limits<T>::lowest());
    const T hi = clip_bound<T>(ctx, "max", 2, std::numeric_limits<T>::max());
    // min before max: when lo > hi every element becomes hi, as the ONNX spec says.
    map_elements<T>(ctx, [lo, hi](T v) { return std::min(std::max(v, lo), hi); });
  });
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
  registry.add("Exp", unary_kernel([](float v) { return std::exp(v); }));
  registry.add("Log", unary_kernel([](float v) { return std::log(v); }));
  registry.add("LeakyRelu", leaky_relu);
  registry.add("Clip", clip);
  const auto arithmetic = [](const KernelContext& ctx, DType dtype, auto&& f) { dispatch_arithmetic(ctx, dtype, f); };
  const auto floats = [](const KernelContext& ctx, DType dtype, auto&& f) {
    dispatch_dtype<float, double>(ctx, dtype, f);
  };
  registry.add("Add", binary_kernel(std::plus<>(), arithmetic));
  registry.add("Sub", binary_kernel(std::minus<>(), arithmetic));
  registry.add("Mul", binary_kernel(std::multiplies<>(), arithmetic));
  registry.add("Div", binary_kernel(std::divides<>(), floats));
}

}  // namespace stride::ref
