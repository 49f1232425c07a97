#pragma once
// Tensor <-> onnx::TensorProto, and DType <-> ONNX element types.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "stride/core/tensor.h"

namespace stride::onnx_io {

// The DType of an ONNX element type (TensorProto::DataType). `what` names the tensor or value
// for the error on a type Stride does not hold (string, bool, double, complex, ...).
DType dtype_from_onnx(int32_t data_type, std::string_view what);
onnx::TensorProto::DataType dtype_to_onnx(DType dtype);

// Reads raw_data or the typed repeated field (float_data, int32_data, int64_data). Refuses,
// naming `what`, external data, negative dims, sizes over kMaxTensorBytes and data whose length
// does not match the dims -- all before allocating the tensor.
Tensor tensor_from_proto(const onnx::TensorProto& proto, std::string_view what);

// Always writes raw_data (little-endian, as ONNX specifies). An empty `name` is left unset.
onnx::TensorProto tensor_to_proto(const Tensor& tensor, const std::string& name);

}  // namespace stride::onnx_io
