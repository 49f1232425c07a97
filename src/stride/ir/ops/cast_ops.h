#pragma once
// Cast's element types: ONNX names them by their TensorProto.DataType number (attribute `to`).
#include <cstdint>

#include "stride/ir/graph.h"

namespace stride::ops {

// The DType a Cast node converts to; throws naming the node for a type Stride does not have.
DType cast_target(const Node& node);
// The ONNX number of `dtype`, for writing a Cast node.
int64_t onnx_type_number(DType dtype);

}  // namespace stride::ops
