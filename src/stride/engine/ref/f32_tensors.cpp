#include "stride/engine/ref/f32_tensors.h"

#include "stride/core/error.h"

namespace stride::ref {
namespace {

void require_f32(const KernelContext& ctx, const Tensor& t, const char* role, size_t i) {
  if (t.dtype() != DType::f32)
    fail("node '{}' ({}): the ref backend computes {} in f32 only, {} #{} is {}", ctx.node.name, ctx.node.op_type,
         ctx.node.op_type, role, i, dtype_name(t.dtype()));
}

}  // namespace

const float* f32_input(const KernelContext& ctx, size_t i) {
  const Tensor& t = ctx.input(i);
  require_f32(ctx, t, "input", i);
  return t.data<float>();
}

const float* optional_f32_input(const KernelContext& ctx, size_t i) {
  return i < ctx.inputs.size() && ctx.inputs[i] ? f32_input(ctx, i) : nullptr;
}

float* optional_f32_output(const KernelContext& ctx, size_t i) {
  return i < ctx.outputs.size() && ctx.outputs[i] ? f32_output(ctx, i) : nullptr;
}

float* f32_output(const KernelContext& ctx, size_t i) {
  Tensor& t = ctx.output(i);
  require_f32(ctx, t, "output", i);
  return t.data<float>();
}

}  // namespace stride::ref
