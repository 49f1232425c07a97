#pragma once
// ONNX tensor files (.pb): one serialized TensorProto, the format of ONNX's test data
// (test_data_set_0/input_0.pb).
#include <filesystem>
#include <string>
#include <string_view>

#include "stride/core/tensor.h"

namespace stride {

// `source_name` (usually the file name) prefixes every error.
Tensor parse_tensor_pb(std::string_view bytes, const std::string& source_name);
// `name` is stored as TensorProto.name (left unset when empty).
std::string serialize_tensor_pb(const Tensor& tensor, const std::string& name);

Tensor read_tensor_pb(const std::filesystem::path& path);
// Written to "<path>.tmp" and renamed, so an interrupted write leaves no partial file.
void write_tensor_pb(const std::filesystem::path& path, const Tensor& tensor, const std::string& name);

}  // namespace stride
