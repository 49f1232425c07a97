#include <utility>

#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/cast_ops.h"
#include "stride/ir/ops/node_checks.h"

namespace stride::ops {

namespace {

// ONNX's TensorProto.DataType numbers (onnx.proto) of the element types Stride has.
constexpr std::pair<int64_t, DType> kOnnxTypes[] = {{1, DType::f32}, {2, DType::u8},  {3, DType::s8},
                                                    {6, DType::s32}, {7, DType::s64}, {10, DType::f16},
                                                    {11, DType::f64}, {16, DType::bf16}};

}  // namespace

DType cast_target(const Node& node) {
  const int64_t to = node.attrs.get_int("to");
  for (const auto& [number, dtype] : kOnnxTypes)
    if (number == to) return dtype;
  fail_at(node, "Cast to element type {} is not supported (FLOAT, UINT8, INT8, INT32, INT64, FLOAT16, DOUBLE and "
                "BFLOAT16 are)",
          to);
}

int64_t onnx_type_number(DType dtype) {
  for (const auto& [number, type] : kOnnxTypes)
    if (type == dtype) return number;
  fail("element type {} has no ONNX number", dtype_name(dtype));
}

void register_cast_ops(OpRegistry& registry) {
  registry.add({.type = "Cast", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  return std::vector<TensorInfo>{{cast_target(ctx.node()), ctx.shape(0)}};
                }});
}

}  // namespace stride::ops
