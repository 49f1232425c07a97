#pragma once
// Small conversions between Stride's shapes and oneDNN memory descriptors, shared by every lowering.
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <utility>

#include "stride/core/dtype.h"
#include "stride/core/shape.h"

namespace stride::onednn {

using dnnl::memory;

// oneDNN has no rank-0 tensors: a scalar is described as one element of rank 1.
memory::dims to_dims(const Shape& shape);

// The oneDNN element type of a Stride one (f32, f16, bf16, u8, s8, s32); throws for the others.
memory::data_type dnnl_type(DType dtype);

// Row-major (the layout of a Stride Tensor), f32 unless told. A Shape is a memory::dims; rank 0 is
// taken as [1].
memory::desc plain_desc(const memory::dims& dims, memory::data_type type = memory::data_type::f32);
// The layout left to the primitive (format_tag::any), f32 unless told.
memory::desc any_desc(const memory::dims& dims, memory::data_type type = memory::data_type::f32);
// True when `desc` is row-major over its own dims, i.e. a Tensor's bytes could be read through it.
bool is_plain(const memory::desc& desc);

// Attributes every Stride primitive starts from: scratchpads are passed in by the plan (they live
// in its arena) instead of being allocated by oneDNN on every execution.
dnnl::primitive_attr scratchpad_attr();

// True for oneDNN's reference kernels: plain loops, 10-100x slower than its jit kernels, which
// oneDNN picks silently when no fast kernel takes a primitive's configuration. The name says so in
// any of its parts: "ref:any", "ref_int8:any", and "gemm:ref" — a convolution as a GEMM whose GEMM is
// the reference one (every convolution of Debian's arm64 oneDNN, built without the Arm Compute Library).
bool is_reference_implementation(const std::string& implementation);
// The same judgement for a step computing a `primitive` ("convolution", "rnn", ...). oneDNN's RNN
// primitives are the exception: their generic implementation is named "ref" but drives oneDNN's
// jit GEMMs and jit gate kernels step by step (src/cpu/rnn/ref_rnn.cpp in oneDNN); only its
// "brgemm" variant (AVX-512) has another name. Measured: har-lstm ran 5–8 times faster with either
// than on Stride's ref backend, AVX-512, AVX2 or SSE4.1 alike (docs/zoo.md).
bool is_reference_step(const std::string& primitive, const std::string& implementation);

// The primitive descriptor made by `make(k)` for the first candidate k in [0, count) whose kernel
// is not a reference one, and k. When every candidate gets a reference kernel (or is refused),
// the first that could be made: the plan still runs, and its steps show the reference kernel.
// oneDNN's own reason is rethrown when no candidate can be made at all.
template <typename PrimitiveDesc, typename Make>
std::pair<PrimitiveDesc, size_t> first_fast_kernel(size_t count, Make&& make) {
  std::optional<std::pair<PrimitiveDesc, size_t>> fallback;
  for (size_t k = 0; k < count; ++k) {
    try {
      PrimitiveDesc pd = make(k);
      if (!is_reference_implementation(pd.impl_info_str())) return {pd, k};
      if (!fallback) fallback.emplace(pd, k);
    } catch (const dnnl::error&) {
      // This candidate is not supported at all: try the next one.
    }
  }
  if (!fallback) return {make(0), 0};
  return *fallback;
}

// A dense layout for `dims` that orders (and blocks) the axes as `layout` does: for a result
// that should match its inputs' layout, e.g. a concat's.
memory::desc like_layout(const memory::desc& layout, const memory::dims& dims);

// Channels-last (nwc, nhwc, ndhwc) for `dims` of rank 3 to 5, of `type`; plain for other ranks.
memory::desc channels_last_desc(const memory::dims& dims, memory::data_type type);

// True when the CPU oneDNN runs on (after ONEDNN_MAX_CPU_ISA) has VNNI's u8×s8 dot product, which
// accumulates exactly in s32. Without it oneDNN's int8 kernels add pairs of products in s16, which
// saturates unless the weights use 7 bits.
bool has_exact_int8_dot_product();

// "convolution", "reorder", ...
std::string primitive_kind_name(const dnnl::primitive_desc_base& pd);

// Spatial parameters in the form oneDNN takes them (dilation 1 is oneDNN's 0).
memory::dims onednn_dilations(const std::vector<int64_t>& dilations);

}  // namespace stride::onednn
