#pragma once
// `--backend auto`, decided on the model itself. Among the compiled engines that run every op of
// the model (onednn, xnnpack), those that leave the fewest multiply-accumulates to reference
// kernels are timed — each alone, a few runs at the shapes the model will run — and the fastest
// is kept. Reference work is weighed before time so that a noisy measurement can never pick an
// engine running naive loops where another has optimised kernels (oneDNN on arm64 without the
// Arm Compute Library: every convolution is "gemm:ref").
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride {

// What was learnt about one candidate engine.
struct CandidateMeasure {
  std::string backend;
  int64_t reference_macs = 0;    // MACs of the nodes its plan leaves to reference kernels
  double median_ms = -1;         // median run time; < 0 when it was not timed
  std::string not_timed_because;  // why it was left out (reference work, a compile failure)
};

struct MeasuredChoice {
  std::string backend;  // never "auto"
  std::string reason;   // the measurement, in one line
  std::vector<CandidateMeasure> candidates;
};

// The engines `auto` chooses among, in order of preference when nothing can be measured.
const std::vector<std::string>& fast_backends();

// Compiles `graph` on every fast backend that runs all its ops, and times those with the least
// reference work: `warmup` then `runs` runs each on seeded random inputs of `options.input_shapes`
// (which must name every graph input). Throws stride::Error when no fast backend runs the model.
MeasuredChoice measure_backends(const Graph& graph, const CompileOptions& options, int warmup = 2, int runs = 5);

}  // namespace stride
