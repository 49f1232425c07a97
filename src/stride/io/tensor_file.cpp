#include "stride/io/tensor_file.h"

#include "stride/core/error.h"
#include "stride/io/npy.h"
#include "stride/onnx/tensor_pb.h"

namespace stride {
namespace {
enum class TensorFormat { npy, pb };

TensorFormat format_of(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".npy") return TensorFormat::npy;
  if (ext == ".pb") return TensorFormat::pb;
  fail("'{}': unknown tensor file type '{}' (expected .npy or .pb)", path.string(), ext);
}
}  // namespace

Tensor read_tensor_file(const std::filesystem::path& path) {
  return format_of(path) == TensorFormat::npy ? read_npy(path) : read_tensor_pb(path);
}

void write_tensor_file(const std::filesystem::path& path, const Tensor& tensor, const std::string& name) {
  if (format_of(path) == TensorFormat::npy) write_npy(path, tensor);
  else write_tensor_pb(path, tensor, name);
}

}  // namespace stride
