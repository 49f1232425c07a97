#pragma once
// How the reductions read their attributes, shared by their shape functions and kernels
// (implemented in reduce.cpp).
#include <vector>

#include "stride/ir/graph.h"

namespace stride::ops {

// Which of `rank` dimensions ReduceMax/ReduceMean/ReduceSum reduce. `axes` is an attribute up to
// opset 17 and input #1 from opset 18 (ReduceSum: 13) (`axes_value` as for ints_from_attr_or_input). Absent or empty
// axes reduce every dimension, or none when noop_with_empty_axes=1.
std::vector<bool> reduced_axes(const Node& node, const Tensor* axes_value, size_t rank);

// Softmax's `axis` (opset 13 semantics: default -1, one axis), normalised to [0, rank).
size_t softmax_axis(const Node& node, size_t rank);

}  // namespace stride::ops
