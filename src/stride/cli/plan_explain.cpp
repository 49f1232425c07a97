#include "stride/cli/plan_explain.h"

#include <fmt/format.h>

#include "stride/engine/inputs.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/xnnpack/xnnpack_backend.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

// "conv1 + relu1", "layout of 'x'" for a conversion.
std::string computes(const OnednnStepInfo& info) {
  if (info.nodes.empty()) return fmt::format("layout of '{}'", info.converts);
  return fmt::format("{}", fmt::join(info.nodes, " + "));
}

// An xnnpack step in the terms of the table: the operator (or ref op) and who runs it.
OnednnStepInfo step_info(const xnnpack::StepInfo& s) {
  if (s.engine == "layout") return {"reorder", s.what, {}, s.nodes};
  return {s.what, s.engine == "xnnpack" ? "XNNPACK" : "ref (stride's kernels)", {s.nodes}, ""};
}

// The plan of `backend`, its steps and their mean seconds.
template <typename Plan, typename Describe>
PlanExplanation explained(const std::string& backend, Plan& plan, const TensorMap& inputs, int64_t batch, int warmup,
                          int runs, Describe describe) {
  for (int i = 0; i < warmup; ++i) plan.run(inputs);
  const std::vector<double> seconds = plan.profile_steps(inputs, runs);
  PlanExplanation e{backend, batch, runs, {}, 0.0, 0};
  for (size_t i = 0; i < seconds.size(); ++i) {
    const OnednnStepInfo info = describe(plan.steps()[i]);
    e.steps.push_back({info, seconds[i] * 1e3});
    e.total_ms += seconds[i] * 1e3;
    e.reference_steps += onednn::is_reference_implementation(info.implementation);
  }
  return e;
}

}  // namespace

PlanExplanation explain_plan(const Graph& graph, const std::string& backend, int64_t batch, int threads, int warmup,
                             int runs, uint64_t seed) {
  const auto shapes = input_shapes_at_batch(graph, batch);
  const TensorMap inputs = random_inputs(graph, shapes, seed);
  if (backend == "onednn") {
    const auto plan = OnednnBackend().compile_plan(graph, {threads, shapes});
    return explained(backend, *plan, inputs, batch, warmup, runs, [](const OnednnStepInfo& s) { return s; });
  }
  if (backend == "xnnpack") {
    const auto plan = XnnpackBackend().compile_plan(graph, {threads, shapes});
    return explained(backend, *plan, inputs, batch, warmup, runs, step_info);
  }
  fail("--explain shows the steps of the onednn or xnnpack engine; --backend is '{}'", backend);
}

std::string render_explanation(const PlanExplanation& e) {
  TextTable t({{"step"},
               {"primitive", TextTable::Align::left},
               {"kernel", TextTable::Align::left},
               {"mean ms"},
               {"share"},
               {"computes", TextTable::Align::left}});
  for (size_t i = 0; i < e.steps.size(); ++i) {
    const ExplainedStep& s = e.steps[i];
    const bool reference = onednn::is_reference_implementation(s.info.implementation);
    t.add_row({std::to_string(i), s.info.primitive, s.info.implementation + (reference ? "  <- reference kernel" : ""),
               fmt::format("{:.3f}", s.mean_ms),
               fmt::format("{:.1f} %", e.total_ms > 0 ? 100 * s.mean_ms / e.total_ms : 0), computes(s.info)});
  }
  std::string out =
      fmt::format("{} plan at batch {}: {} steps, {:.3f} ms (sum of steps timed one by one, mean of {} runs)\n",
                  e.backend, e.batch, e.steps.size(), e.total_ms, e.runs);
  out += t.render();
  out += e.reference_steps == 0 ? "no step runs a reference kernel\n"
                                : fmt::format("{} step(s) run a reference kernel\n", e.reference_steps);
  return out;
}

nlohmann::json to_json(const PlanExplanation& e) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : e.steps)
    steps.push_back({{"primitive", s.info.primitive},
                     {"kernel", s.info.implementation},
                     {"reference_kernel", onednn::is_reference_implementation(s.info.implementation)},
                     {"nodes", s.info.nodes},
                     {"converts", s.info.converts},
                     {"mean_ms", s.mean_ms}});
  return {{"backend", e.backend},
          {"batch", e.batch},
          {"runs", e.runs},
          {"total_ms", e.total_ms},
          {"reference_steps", e.reference_steps},
          {"steps", steps}};
}

}  // namespace stride::cli
