#pragma once
// `stride bench --explain`: what the onednn or xnnpack engine runs for a model at one batch size —
// each step's primitive (or XNNPACK operator), the kernel that runs it (oneDNN's choice; XNNPACK,
// or the ref kernels for what XNNPACK cannot run), the nodes it computes and its time — so that a
// reference kernel (or a costly layout conversion) is seen, not guessed.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/engine/onednn/onednn_plan.h"
#include "stride/ir/graph.h"

namespace stride::cli {

struct ExplainedStep {
  OnednnStepInfo info;
  double mean_ms = 0.0;  // timed alone: the stream is waited for after every step
};

struct PlanExplanation {
  std::string backend;
  int64_t batch = 1;
  int runs = 0;
  std::vector<ExplainedStep> steps;
  double total_ms = 0.0;
  size_t reference_steps = 0;  // steps oneDNN runs with a reference kernel
};

// Compiles `graph` for `batch` on `backend` (onednn or xnnpack; stride::Error for others) and times
// each step over `runs` runs after `warmup` untimed ones, on seeded random inputs.
PlanExplanation explain_plan(const Graph& graph, const std::string& backend, int64_t batch, int threads, int warmup,
                             int runs, uint64_t seed);

std::string render_explanation(const PlanExplanation& explanation);
nlohmann::json to_json(const PlanExplanation& explanation);

}  // namespace stride::cli
