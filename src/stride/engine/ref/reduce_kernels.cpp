#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/strided_loop.h"
#include "stride/ir/ops/reduce_ops.h"

namespace stride::ref {
namespace {

// Folds every element of x into the output element it reduces to, starting from `init`, in double.
// The output's bytes are laid out alike with and without keepdims, so one walk serves both.
template <typename Fold>
std::vector<double> fold_reduced(const KernelContext& ctx, double init, Fold fold) {
  const Tensor& x = ctx.input(0);
  const Tensor* axes = ctx.inputs.size() > 1 ? ctx.inputs[1] : nullptr;
  const std::vector<bool> reduced = ops::reduced_axes(ctx.node, axes, x.rank());
  Shape kept = x.shape();
  for (size_t d = 0; d < kept.size(); ++d)
    if (reduced[d]) kept[d] = 1;
  Strides to_output = contiguous_strides(kept);
  for (size_t d = 0; d < kept.size(); ++d)
    if (reduced[d]) to_output[d] = 0;

  std::vector<double> acc(static_cast<size_t>(ctx.output(0).numel()), init);
  const float* px = x.data<float>();
  const std::array<Strides, 2> strides{contiguous_strides(x.shape()), to_output};
  for_each_offset(x.shape(), strides, [&](const std::array<int64_t, 2>& at) {
    double& a = acc[static_cast<size_t>(at[1])];
    a = fold(a, static_cast<double>(px[at[0]]));
  });
  return acc;
}

void reduce_max(const KernelContext& ctx) {
  const auto acc = fold_reduced(ctx, -std::numeric_limits<double>::infinity(),
                                [](double a, double v) { return std::isnan(v) ? v : std::max(a, v); });
  std::transform(acc.begin(), acc.end(), ctx.output(0).data<float>(), [](double v) { return static_cast<float>(v); });
}

// An empty reduction sums to 0.
void reduce_sum(const KernelContext& ctx) {
  const auto acc = fold_reduced(ctx, 0.0, std::plus<double>());
  std::transform(acc.begin(), acc.end(), ctx.output(0).data<float>(), [](double v) { return static_cast<float>(v); });
}

// An empty reduction divides 0 by 0 and gives NaN, as numpy's mean does.
void reduce_mean(const KernelContext& ctx) {
  const auto acc = fold_reduced(ctx, 0.0, std::plus<double>());
  Tensor& y = ctx.output(0);
  const double count =
      y.numel() == 0 ? 0.0 : static_cast<double>(ctx.input(0).numel()) / static_cast<double>(y.numel());
  std::transform(acc.begin(), acc.end(), y.data<float>(), [count](double v) { return static_cast<float>(v / count); });
}

// exp(x - max) / sum(exp(x - max)) along one axis; subtracting the max keeps exp from overflowing.
void softmax(const KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Shape& s = x.shape();
  const size_t axis = ops::softmax_axis(ctx.node, s.size());
  const int64_t n = s[axis];
  const int64_t inner = shape_numel(Shape(s.begin() + static_cast<int64_t>(axis) + 1, s.end()));
  const int64_t outer = shape_numel(Shape(s.begin(), s.begin() + static_cast<int64_t>(axis)));
  const float* px = x.data<float>();
  float* py = ctx.output(0).data<float>();
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * n * inner + i;
      auto at = [&](int64_t k) { return base + k * inner; };
      float max = -std::numeric_limits<float>::infinity();
      for (int64_t k = 0; k < n; ++k) max = std::max(max, px[at(k)]);
      double sum = 0.0;
      for (int64_t k = 0; k < n; ++k) sum += std::exp(static_cast<double>(px[at(k)] - max));
      for (int64_t k = 0; k < n; ++k)
        py[at(k)] = static_cast<float>(std::exp(static_cast<double>(px[at(k)] - max)) / sum);
    }
  }
}

}  // namespace

void register_reduce_kernels(KernelRegistry& registry) {
  registry.add("ReduceMax", reduce_max);
  registry.add("ReduceMean", reduce_mean);
  registry.add("ReduceSum", reduce_sum);
  registry.add("Softmax", softmax);
}

}  // namespace stride::ref
