#include "stride/onnx/tensor_pb.h"

#include "stride/core/atomic_file.h"
#include "stride/onnx/proto_bytes.h"
#include "stride/onnx/tensor_proto.h"

namespace stride {
namespace {
constexpr std::string_view kKind = "ONNX tensor (TensorProto)";
}  // namespace

Tensor parse_tensor_pb(std::string_view bytes, const std::string& source_name) {
  try {
    onnx::TensorProto proto;
    onnx_io::parse_proto(bytes, proto, kKind);
    return onnx_io::tensor_from_proto(proto, proto.name().empty() ? "tensor" : "tensor '" + proto.name() + "'");
  } catch (const Error& e) {
    fail("'{}': {}", source_name, e.what());
  }
}

std::string serialize_tensor_pb(const Tensor& tensor, const std::string& name) {
  return onnx_io::serialize_proto(onnx_io::tensor_to_proto(tensor, name), kKind);
}

Tensor read_tensor_pb(const std::filesystem::path& path) {
  return parse_tensor_pb(onnx_io::read_proto_file(path, kKind), path.string());
}

void write_tensor_pb(const std::filesystem::path& path, const Tensor& tensor, const std::string& name) {
  write_file_atomically(path, serialize_tensor_pb(tensor, name));
}

}  // namespace stride
