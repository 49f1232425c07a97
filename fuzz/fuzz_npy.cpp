// Fuzz target: bytes → the .npy reader. A stride::Error is the expected refusal of a bad file;
// anything else (a sanitizer report, an uncaught exception, a failed round trip) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "stride/core/error.h"
#include "stride/io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  stride::Tensor tensor;
  try {
    tensor = stride::parse_npy(bytes, "fuzz.npy");
  } catch (const stride::Error&) {
    return 0;
  }
  // A file that was accepted must mean what it says: writing the tensor back and reading it again
  // gives the same dtype, shape and bytes (Fortran order is read into C order, so it round-trips too).
  const stride::Tensor again = stride::parse_npy(stride::serialize_npy(tensor), "round trip");
  if (!(again == tensor)) {
    std::fprintf(stderr, "fuzz_npy: an accepted .npy file does not survive write + read\n");
    std::abort();
  }
  return 0;
}
