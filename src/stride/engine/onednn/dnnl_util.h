#pragma once
// Small conversions between Stride's shapes and oneDNN memory descriptors, shared by every lowering.
#include <oneapi/dnnl/dnnl.hpp>
#include <string>

#include "stride/core/shape.h"

namespace stride::onednn {

using dnnl::memory;

// oneDNN has no rank-0 tensors: a scalar is described as one element of rank 1.
memory::dims to_dims(const Shape& shape);

// f32, row-major (the layout of a Stride Tensor). A Shape is a memory::dims; rank 0 is taken as [1].
memory::desc plain_desc(const memory::dims& dims);
// f32 with the layout left to the primitive (format_tag::any).
memory::desc any_desc(const memory::dims& dims);
// True when `desc` is f32 row-major over its own dims, i.e. a Tensor's bytes could be read through it.
bool is_plain(const memory::desc& desc);

// Attributes every Stride primitive starts from: scratchpads are passed in by the plan (they live
// in its arena) instead of being allocated by oneDNN on every execution.
dnnl::primitive_attr scratchpad_attr();

// "convolution", "reorder", ...
std::string primitive_kind_name(const dnnl::primitive_desc_base& pd);

// Spatial parameters in the form oneDNN takes them (dilation 1 is oneDNN's 0).
memory::dims onednn_dilations(const std::vector<int64_t>& dilations);

}  // namespace stride::onednn
