// Fuzz target: bytes → ONNX import (validation included) → shape inference → compile on `ref` and,
// for small graphs, on `onednn`. Nothing is run. A stride::Error is the expected refusal of a bad
// model; a crash, sanitizer report, leak or any other exception is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "stride/core/error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/shape_inference.h"
#include "stride/onnx/onnx_import.h"

namespace {

// The onednn backend allocates its activation arena and reorders weights while compiling. The
// product's own per-tensor limit (kMaxTensorBytes, 8 GiB) is far above libFuzzer's 2 GB malloc
// limit, so graphs above these counts are not compiled there: the fuzzer spends its time on
// parsing and lowering rather than on filling memory, and a large but valid model is no finding.
constexpr int64_t kMaxElementsPerValue = int64_t{1} << 18;
constexpr int64_t kMaxElementsInAll = int64_t{1} << 22;

bool small_enough(const stride::GraphShapes& shapes) {
  int64_t total = 0;
  for (const auto& [name, info] : shapes.values) {
    const int64_t n = stride::shape_numel(info.shape);
    if (n > kMaxElementsPerValue) return false;
    total += n;
    if (total > kMaxElementsInAll) return false;
  }
  return true;
}

// STRIDE_FUZZ_VERBOSE=1 prints each refusal: to check that seeds get as far as compiling.
void refused(const char* stage, const stride::Error& e) {
  static const bool verbose = std::getenv("STRIDE_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "%s: %s\n", stage, e.what());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<stride::Backend> ref = stride::make_backend("ref");
  static const std::unique_ptr<stride::Backend> onednn = stride::make_backend("onednn");
  stride::CompileOptions options;
  options.threads = 1;  // one core per fuzzer process; oneDNN picks kernels for this count

  stride::Graph graph;
  try {
    graph = stride::parse_onnx(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
  } catch (const stride::Error& e) {
    refused("import", e);
    return 0;
  }
  // Separate attempts: a refusal by one backend must not hide what the other does with the graph.
  try {
    ref->compile(graph, options);
  } catch (const stride::Error& e) {
    refused("ref", e);
  }
  try {
    // Unknown dims are taken as 1, as onednn's compile does without input shapes.
    if (small_enough(stride::infer_shapes(graph))) {
      onednn->compile(graph, options);
    } else if (std::getenv("STRIDE_FUZZ_VERBOSE")) {
      std::fprintf(stderr, "onednn: skipped, too large\n");
    }
  } catch (const stride::Error& e) {
    refused("onednn", e);
  }
  return 0;
}
