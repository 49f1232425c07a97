#include "stride/cli/plan_explain.h"

#include <fmt/format.h>

#include <numeric>

#include "stride/engine/inputs.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/engine/xnnpack/xnnpack_backend.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

constexpr const char* kRefKernels = "ref (stride's kernels)";

// "conv1 + Relu" → {"conv1", "Relu"}: the parts of an xnnpack step's name.
std::vector<std::string> split_nodes(const std::string& nodes) {
  std::vector<std::string> parts;
  for (size_t at = 0; at <= nodes.size();) {
    const size_t end = std::min(nodes.find(" + ", at), nodes.size());
    parts.push_back(nodes.substr(at, end - at));
    at = end + 3;
  }
  return parts;
}

// An xnnpack step in the terms of the table: the operator (or ref op) and who runs it.
OnednnStepInfo step_info(const xnnpack::StepInfo& s) {
  if (s.engine == "layout") return {"reorder", s.what, {}, s.nodes};
  return {s.what, s.engine == "xnnpack" ? "XNNPACK" : kRefKernels, split_nodes(s.nodes), ""};
}

// A ref step: one node, run by its ref kernel.
OnednnStepInfo step_info(const Node& node) { return {node.op_type, kRefKernels, {node.name}, ""}; }

// The plan of `backend`, its steps and their times.
template <typename Plan, typename Describe>
PlanExplanation explained(const std::string& backend, Plan& plan, const TensorMap& inputs, int64_t batch, int warmup,
                          int runs, Describe describe) {
  for (int i = 0; i < warmup; ++i) plan.run(inputs);
  PlanExplanation e{backend, batch, runs, {}, 0.0, 0.0, std::nullopt, 0, plan.profile_steps(inputs, runs)};
  const std::vector<double> mean_ms = e.timeline.mean_step_ms();
  for (size_t i = 0; i < mean_ms.size(); ++i) {
    const OnednnStepInfo info = describe(plan.steps()[i]);
    e.steps.push_back({info, mean_ms[i]});
    e.total_ms += mean_ms[i];
    e.reference_steps += onednn::is_reference_step(info.primitive, info.implementation);
  }
  const std::vector<double> spans = e.timeline.run_span_ms();
  e.mean_run_span_ms = std::accumulate(spans.begin(), spans.end(), 0.0) / static_cast<double>(std::max(runs, 1));
  return e;
}

// What each engine does between two steps, and in run() before the first and after the last: the
// parts of the whole model's time that no step's time holds.
struct Overheads {
  const char* between;
  const char* outside;
};

Overheads overheads(const std::string& backend) {
  if (backend == "onednn")
    return {"the engine's loop, clock reads",
            "input checks and binding, output allocation, "
            "setting the thread count"};
  if (backend == "xnnpack")
    return {"the engine's loop, clock reads", "input checks and the copy into the plan's buffers, the outputs' copy"};
  return {"allocating each node's outputs and keeping its values, clock reads",
          "input checks, shape inference, the memory check"};
}

// Why the sum of the steps is not the whole model's median, with what was measured of it.
std::string render_gap(const PlanExplanation& e) {
  const Overheads o = overheads(e.backend);
  std::string out = fmt::format("between steps ({}): {:.3f} ms (profiled runs span {:.3f} ms on average)\n", o.between,
                                e.mean_run_span_ms - e.total_ms, e.mean_run_span_ms);
  if (!e.whole_median_ms) return out;
  return fmt::format("whole model median {:.3f} ms (timed from outside run()) - sum of steps {:.3f} ms = {:.3f} ms\n",
                     *e.whole_median_ms, e.total_ms, *e.whole_median_ms - e.total_ms) +
         out +
         fmt::format(
             "outside the steps and run to run ({}; the whole model's runs are other runs, between "
             "the other plans bench times, and a median): {:.3f} ms\n",
             o.outside, *e.whole_median_ms - e.mean_run_span_ms);
}

}  // namespace

bool has_plan_steps(const std::string& backend) {
  return backend == "onednn" || backend == "xnnpack" || backend == "ref";
}

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
    return explained(backend, *plan, inputs, batch, warmup, runs, [](const auto& s) { return step_info(s); });
  }
  if (backend == "ref") {
    const auto plan = RefBackend().compile_plan(graph, {threads, shapes});
    return explained(backend, *plan, inputs, batch, warmup, runs, [](const auto& s) { return step_info(s); });
  }
  fail("only the onednn, xnnpack and ref engines have steps to show; --backend is '{}'", backend);
}

std::string computes(const OnednnStepInfo& info) {
  if (info.nodes.empty()) return fmt::format("layout of '{}'", info.converts);
  return fmt::format("{}", fmt::join(info.nodes, " + "));
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
    const bool reference = onednn::is_reference_step(s.info.primitive, s.info.implementation);
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
  return out + render_gap(e);
}

nlohmann::json to_json(const PlanExplanation& e) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : e.steps)
    steps.push_back({{"primitive", s.info.primitive},
                     {"kernel", s.info.implementation},
                     {"reference_kernel", onednn::is_reference_step(s.info.primitive, s.info.implementation)},
                     {"nodes", s.info.nodes},
                     {"converts", s.info.converts},
                     {"mean_ms", s.mean_ms}});
  nlohmann::json j = {{"backend", e.backend},
                      {"batch", e.batch},
                      {"runs", e.runs},
                      {"total_ms", e.total_ms},
                      {"mean_run_span_ms", e.mean_run_span_ms},
                      {"between_steps_ms", e.mean_run_span_ms - e.total_ms},
                      {"reference_steps", e.reference_steps},
                      {"steps", steps}};
  if (e.whole_median_ms) {
    j["whole_median_ms"] = *e.whole_median_ms;
    j["whole_minus_steps_ms"] = *e.whole_median_ms - e.total_ms;
    j["outside_steps_ms"] = *e.whole_median_ms - e.mean_run_span_ms;
  }
  return j;
}

}  // namespace stride::cli
