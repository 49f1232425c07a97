#include "stride/onnx/onnx_version.h"

#include <fmt/format.h>
#include <google/protobuf/stubs/common.h>
#include <onnx/common/version.h>

namespace stride {

std::string onnx_library_version() {
  // GOOGLE_PROTOBUF_VERSION is major * 10^6 + minor * 10^3 + patch.
  constexpr int protobuf = GOOGLE_PROTOBUF_VERSION;
  return fmt::format("ONNX {}, protobuf {}.{}.{}", ONNX_NAMESPACE::LAST_RELEASE_VERSION, protobuf / 1000000,
                     protobuf / 1000 % 1000, protobuf % 1000);
}

}  // namespace stride
