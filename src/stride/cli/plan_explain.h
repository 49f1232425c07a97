#pragma once
// `stride bench --explain`: what the onednn, xnnpack or ref engine runs for a model at one batch
// size — each step's primitive (or XNNPACK operator, or ref op), the kernel that runs it (oneDNN's
// choice; XNNPACK, or the ref kernels for what XNNPACK cannot run), the nodes it computes and its
// time — so that a reference kernel (or a costly layout conversion) is seen, not guessed. The same
// profiled runs feed `stride bench --profile` (step_trace.h).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stride/engine/onednn/onednn_plan.h"
#include "stride/engine/step_timeline.h"
#include "stride/ir/graph.h"

namespace stride::cli {

struct ExplainedStep {
  OnednnStepInfo info;
  double mean_ms = 0.0;  // timed alone: the clock is read just before and just after the step
};

struct PlanExplanation {
  std::string backend;
  int64_t batch = 1;
  int runs = 0;
  std::vector<ExplainedStep> steps;
  double total_ms = 0.0;          // the sum of the steps' means
  double mean_run_span_ms = 0.0;  // first step's start to last step's end, mean over the runs
  // The whole model's median at this batch as bench timed it (plan.run() from the outside), once known.
  std::optional<double> whole_median_ms;
  size_t reference_steps = 0;  // steps run with a reference kernel
  StepTimeline timeline{0};    // every step of every profiled run
};

// The backends whose plans have steps to show.
bool has_plan_steps(const std::string& backend);

// Compiles `graph` for `batch` on `backend` (onednn, xnnpack or ref; stride::Error for others) and
// times each step over `runs` runs after `warmup` untimed ones, on seeded random inputs.
PlanExplanation explain_plan(const Graph& graph, const std::string& backend, int64_t batch, int threads, int warmup,
                             int runs, uint64_t seed);

// "conv1 + relu1", or "layout of 'x'" for a conversion.
std::string computes(const OnednnStepInfo& info);

std::string render_explanation(const PlanExplanation& explanation);
nlohmann::json to_json(const PlanExplanation& explanation);

}  // namespace stride::cli
