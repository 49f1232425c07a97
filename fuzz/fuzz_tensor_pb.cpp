// Fuzz target: bytes → the ONNX TensorProto (.pb) reader. A stride::Error is the expected refusal
// of a bad file; anything else (a sanitizer report, an uncaught exception, a failed round trip) is
// a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "stride/core/error.h"
#include "stride/onnx/tensor_pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  stride::Tensor tensor;
  try {
    tensor = stride::parse_tensor_pb(bytes, "fuzz.pb");
  } catch (const stride::Error&) {
    return 0;
  }
  // An accepted tensor must survive being written and read again unchanged (dtype, shape, bytes):
  // whatever storage field the input used, the reader's tensor is what the file meant.
  stride::Tensor again;
  try {
    again = stride::parse_tensor_pb(stride::serialize_tensor_pb(tensor, "t"), "round trip");
  } catch (const stride::Error& e) {
    // bf16 and other types have no .npy form but all have a TensorProto one: a refusal here is a bug.
    std::fprintf(stderr, "fuzz_tensor_pb: the reader's own tensor is refused when written back: %s\n", e.what());
    std::abort();
  }
  if (!(again == tensor)) {
    std::fprintf(stderr, "fuzz_tensor_pb: an accepted .pb file does not survive write + read\n");
    std::abort();
  }
  return 0;
}
