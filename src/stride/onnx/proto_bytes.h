#pragma once
// Protobuf messages to and from bytes within protobuf's own limits, with errors that say what
// was wrong instead of protobuf's bare "false".
#include <google/protobuf/message_lite.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>

namespace stride::onnx_io {

// Protobuf reads and writes one message of at most 2 GiB - 1 bytes: ONNX files larger than that
// keep their weights in external data files, which Stride does not read.
inline constexpr int64_t kMaxProtoBytes = std::numeric_limits<int>::max();

// Parses a whole message of `kind` ("ONNX model", "ONNX tensor"). Throws stride::Error saying
// that the bytes are empty, too large, or truncated/corrupt.
void parse_proto(std::string_view bytes, google::protobuf::MessageLite& message, std::string_view kind);

// Serializes a message, refusing (rather than corrupting) one over kMaxProtoBytes.
std::string serialize_proto(const google::protobuf::MessageLite& message, std::string_view kind);

// Reads a file meant to hold one message, refusing files over kMaxProtoBytes before reading them.
std::string read_proto_file(const std::filesystem::path& path, std::string_view kind);

}  // namespace stride::onnx_io
