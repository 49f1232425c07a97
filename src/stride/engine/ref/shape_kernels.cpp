#include <algorithm>

#include "stride/engine/ref/kernels.h"
#include "stride/engine/ref/strided_loop.h"
#include "stride/ir/ops/node_checks.h"
#include "stride/ir/ops/shape_ops.h"

namespace stride::ref {
namespace {

// The view ops keep the bytes and take the shape that shape inference gave the output.
void relabel(const KernelContext& ctx) {
  Tensor& y = ctx.output(0);
  y = ctx.input(0).reshaped(y.shape());
}

void constant(const KernelContext& ctx) { ctx.output(0) = ops::tensor_attr(ctx.node, "value"); }

// y[i0, i1, ...] = x at index (i0, i1, ...) permuted back: along output dim d, x moves by its
// stride of dim perm[d]. Moves whole elements of any dtype.
void transpose(const KernelContext& ctx) {
  const Tensor& x = ctx.input(0);
  Tensor& y = ctx.output(0);
  const Strides x_strides = contiguous_strides(x.shape());
  Strides gather;
  for (size_t p : ops::transpose_perm(ctx.node, x.rank())) gather.push_back(x_strides[p]);
  const size_t elem = dtype_size(x.dtype());
  std::byte* out = y.raw();
  for_each_offset(y.shape(), std::array<Strides, 1>{gather}, [&](const std::array<int64_t, 1>& at) {
    out = std::copy_n(x.raw() + static_cast<size_t>(at[0]) * elem, elem, out);
  });
}

// For each index before the axis, the inputs' slabs from the axis on follow one another.
void concat(const KernelContext& ctx) {
  Tensor& y = ctx.output(0);
  const size_t axis = ops::concat_axis(ctx.node, y.rank());
  const int64_t outer = shape_numel(Shape(y.shape().begin(), y.shape().begin() + static_cast<int64_t>(axis)));
  std::byte* out = y.raw();
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < ctx.inputs.size(); ++i) {
      const Tensor& x = ctx.input(i);
      const size_t slab = x.nbytes() / static_cast<size_t>(std::max<int64_t>(outer, 1));
      out = std::copy_n(x.raw() + static_cast<size_t>(o) * slab, slab, out);
    }
  }
}

}  // namespace

void register_shape_kernels(KernelRegistry& registry) {
  for (const char* type : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"})
    registry.add(type, relabel);
  registry.add("Constant", constant);
  registry.add("Transpose", transpose);
  registry.add("Concat", concat);
}

}  // namespace stride::ref
