#pragma once
// Values of a graph that are known at compile time.
#include <string>

#include "stride/ir/shape_inference.h"

namespace stride::onednn {

// The value of `name` when it is an initializer (and not overridden by a graph input) or the output
// of a Constant node; nullptr for run-time values.
const Tensor* find_constant(const Graph& graph, const GraphShapes& shapes, const std::string& name);

// Computes, with the ref backend, every node of the types in `op_types` whose inputs are all
// constants, and adds its outputs to `shapes.constants`: the f32 weights behind a
// DequantizeLinear of s8 integers or a Cast of f16 ones are then constants to their readers.
void fold_constants(const Graph& graph, GraphShapes& shapes, const std::vector<std::string>& op_types);

// The constant as floats; throws naming `node` and `what` when it is not a compile-time constant.
std::vector<float> constant_floats(const Graph& graph, const GraphShapes& shapes, const Node& node,
                                   const std::string& name, const char* what);

}  // namespace stride::onednn
