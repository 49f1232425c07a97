#include "stride/onnx/proto_bytes.h"

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::onnx_io {

void parse_proto(std::string_view bytes, google::protobuf::MessageLite& message, std::string_view kind) {
  if (bytes.empty()) fail("it is empty, expected an {}", kind);
  if (static_cast<uint64_t>(bytes.size()) > static_cast<uint64_t>(kMaxProtoBytes))
    fail(
        "{} bytes is more than protobuf reads in one message (2 GiB); models that large need external data, "
        "which Stride does not read",
        bytes.size());
  // ParseFromArray only succeeds when the message ends exactly at the end of the bytes, so a cut
  // inside any field and trailing garbage are both refused.
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    fail("not a valid {}: the protobuf data is truncated or corrupt", kind);
}

std::string serialize_proto(const google::protobuf::MessageLite& message, std::string_view kind) {
  const size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(kMaxProtoBytes))
    fail("the {} would be {} bytes, more than protobuf writes in one message (2 GiB)", kind, size);
  std::string bytes;
  if (!message.SerializeToString(&bytes)) fail("serializing the {} failed", kind);
  return bytes;
}

std::string read_proto_file(const std::filesystem::path& path, std::string_view kind) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > static_cast<uintmax_t>(kMaxProtoBytes))
    fail(
        "'{}' is {} bytes, more than protobuf reads in one {} (2 GiB); models that large need external data, "
        "which Stride does not read",
        path.string(), size, kind);
  return read_file(path);
}

}  // namespace stride::onnx_io
