#pragma once
// The ref kernels of the compute-heavy ops calculate in f32 only. These accessors hand out typed
// pointers, refusing any other dtype with an error that names the node.
#include "stride/engine/ref/kernels.h"

namespace stride::ref {

// The data of input i, which must be present and f32.
const float* f32_input(const KernelContext& ctx, size_t i);
// As f32_input, or nullptr when the optional input i is absent.
const float* optional_f32_input(const KernelContext& ctx, size_t i);
// The data of output i, or nullptr when the node does not name it.
float* optional_f32_output(const KernelContext& ctx, size_t i);
float* f32_output(const KernelContext& ctx, size_t i);

}  // namespace stride::ref
