// Fuzz target: bytes as one dataset frame → the frame loaders: a TUM-GAID grey frame
// (read_grey_image, libpng decoding) and a CASIA-B silhouette, read, checked for being binary and
// aligned into a GaitSet clip. A stride::Error is the expected refusal of a bad file; anything
// else is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/core/utility.hpp>
#include <string>
#include <system_error>

#include "stride/core/error.h"
#include "stride/data/casia_b.h"
#include "stride/data/image_file.h"

namespace fs = std::filesystem;

namespace {

// The loaders take paths, so every input goes through one file per fuzzer process.
const fs::path& frame_path() {
  static const fs::path path =
      fs::temp_directory_path() / ("stride-fuzz-frame-" + std::to_string(::getpid()) + "-001.png");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Decoding in the calling thread only: one core per fuzzer process, and reports point at one stack.
  cv::setNumThreads(0);
  // libFuzzer ends with exit(), so the frame file goes then (the path is built first, so that it is
  // destroyed after this handler runs).
  frame_path();
  std::atexit([] {
    std::error_code ignored;
    fs::remove(frame_path(), ignored);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(frame_path(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();  // no space for the frame: the harness, not the loader, is broken
  }
  try {
    stride::data::read_grey_image(frame_path());
  } catch (const stride::Error&) {
  }
  try {
    const stride::data::CasiaBSequence sequence{1, stride::data::Condition::normal, 1, 90, frame_path().parent_path(),
                                                {frame_path()}};
    stride::data::load_silhouette_clip(sequence, 2);
  } catch (const stride::Error&) {
  }
  return 0;
}
