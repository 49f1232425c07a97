#pragma once
// Tensor files by extension: NumPy .npy, or ONNX TensorProto .pb (the ONNX test-data format).
#include <filesystem>
#include <string>

#include "stride/core/tensor.h"

namespace stride {

Tensor read_tensor_file(const std::filesystem::path& path);
// `name` is recorded inside .pb files (TensorProto.name); .npy files have no name.
void write_tensor_file(const std::filesystem::path& path, const Tensor& tensor, const std::string& name);

}  // namespace stride
