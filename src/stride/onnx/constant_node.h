#pragma once
// ONNX lets a Constant node carry its value in one of several attributes (value, value_float,
// value_ints, ...); the IR keeps exactly one form, attribute `value` holding a Tensor, so that
// every pass reads constants the same way.
#include "stride/ir/graph.h"

namespace stride::onnx_io {

// Rewrites a Constant node's value into attribute `value`. Refuses string values and nodes
// without exactly one value attribute, naming the node.
void normalize_constant_node(Node& node);

}  // namespace stride::onnx_io
