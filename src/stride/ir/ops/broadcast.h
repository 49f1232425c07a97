#pragma once
// Multidirectional (numpy) broadcasting, the shape rule of ONNX's element-wise ops: shapes are
// aligned on their last dimension, and each pair of dimensions must be equal or contain a 1.
#include <vector>

#include "stride/core/shape.h"
#include "stride/ir/graph.h"

namespace stride::ops {

// The shape that `shapes` broadcast to. Fails naming `node` and the two clashing shapes otherwise.
Shape broadcast_shapes(const Node& node, const std::vector<Shape>& shapes);

}  // namespace stride::ops
