#pragma once
// Values of a graph that are known at compile time.
#include <string>

#include "stride/ir/shape_inference.h"

namespace stride::onednn {

// The value of `name` when it is an initializer (and not overridden by a graph input) or the output
// of a Constant node; nullptr for run-time values.
const Tensor* find_constant(const Graph& graph, const GraphShapes& shapes, const std::string& name);

// The constant as floats; throws naming `node` and `what` when it is not a compile-time constant.
std::vector<float> constant_floats(const Graph& graph, const GraphShapes& shapes, const Node& node,
                                   const std::string& name, const char* what);

}  // namespace stride::onednn
