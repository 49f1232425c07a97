#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/cast_ops.h"
#include "stride/ir/ops/node_checks.h"

namespace stride::ops {

// ONNX's TensorProto.DataType numbers (onnx.proto) of the element types Stride has.
DType cast_target(const Node& node) {
  const int64_t to = node.attrs.get_int("to");
  switch (to) {
    case 1:
      return DType::f32;
    case 2:
      return DType::u8;
    case 3:
      return DType::s8;
    case 6:
      return DType::s32;
    case 7:
      return DType::s64;
    case 10:
      return DType::f16;
    case 11:
      return DType::f64;
    case 16:
      return DType::bf16;
    default:
      fail_at(node, "Cast to element type {} is not supported (FLOAT, UINT8, INT8, INT32, INT64, FLOAT16, DOUBLE and "
                    "BFLOAT16 are)",
              to);
  }
}

int64_t onnx_type_number(DType dtype) {
  switch (dtype) {
    case DType::f32:
      return 1;
    case DType::u8:
      return 2;
    case DType::s8:
      return 3;
    case DType::s32:
      return 6;
    case DType::s64:
      return 7;
    case DType::f16:
      return 10;
    case DType::f64:
      return 11;
    case DType::bf16:
      return 16;
  }
  return 0;
}

void register_cast_ops(OpRegistry& registry) {
  registry.add({.type = "Cast", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  return std::vector<TensorInfo>{{cast_target(ctx.node()), ctx.shape(0)}};
                }});
}

}  // namespace stride::ops
