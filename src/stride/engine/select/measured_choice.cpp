#include "stride/engine/select/measured_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

#include "stride/core/units.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/cost.h"

namespace stride {
namespace {

double median_run_ms(Plan& plan, const TensorMap& inputs, int warmup, int runs) {
  for (int i = 0; i < warmup; ++i) plan.run(inputs);
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    plan.run(inputs);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

std::string describe(const MeasuredChoice& choice, const CompileOptions& options, int runs) {
  std::vector<std::string> shapes;
  for (const auto& [name, shape] : options.input_shapes) shapes.push_back(name + " " + shape_str(shape));
  std::vector<std::string> timed, left_out;
  for (const CandidateMeasure& c : choice.candidates) {
    if (c.median_ms >= 0)
      timed.push_back(fmt::format("{} {:.2f} ms", c.backend, c.median_ms));
    else if (c.backend != choice.backend)
      left_out.push_back(c.backend + " " + c.not_timed_because);
  }
  std::string reason =
      timed.empty()
          ? std::string("the only fast engine without more reference work")
          : fmt::format("fastest measured on {} ({} threads), median of {} runs each: {}", fmt::join(shapes, ", "),
                        options.threads == 0 ? std::string("all") : std::to_string(options.threads), runs,
                        fmt::join(timed, ", "));
  if (!left_out.empty()) reason += fmt::format("; not timed: {}", fmt::join(left_out, "; "));
  return reason;
}

}  // namespace

const std::vector<std::string>& fast_backends() {
  static const std::vector<std::string> names{"onednn", "xnnpack"};
  return names;
}

MeasuredChoice measure_backends(const Graph& graph, const CompileOptions& options, int warmup, int runs) {
  if (runs < 1) fail("the backend measurement needs at least one run, got {}", runs);
  const ModelCost cost = model_cost(graph, options.input_shapes);
  std::map<std::string, int64_t> node_macs;
  for (const LayerCost& layer : cost.layers) node_macs[layer.node] = layer.macs;

  MeasuredChoice choice;
  std::vector<std::unique_ptr<Plan>> plans;
  for (const std::string& name : fast_backends()) {
    CandidateMeasure c{name};
    std::unique_ptr<Plan> plan;
    const auto backend = make_backend(name);
    if (const auto missing = backend->missing_ops(graph); !missing.empty()) {
      c.not_timed_because = fmt::format("(lacks {})", fmt::join(missing, ", "));
    } else {
      try {
        plan = backend->compile(graph, options);
        for (const std::string& node : plan->reference_nodes()) c.reference_macs += node_macs[node];
      } catch (const Error& e) {
        c.not_timed_because = fmt::format("(could not compile: {})", e.what());
      }
    }
    choice.candidates.push_back(std::move(c));
    plans.push_back(std::move(plan));
  }

  int64_t least_reference = std::numeric_limits<int64_t>::max();
  for (size_t i = 0; i < plans.size(); ++i)
    if (plans[i]) least_reference = std::min(least_reference, choice.candidates[i].reference_macs);
  if (least_reference == std::numeric_limits<int64_t>::max())
    fail("no fast engine runs this model: {}", [&] {
      std::vector<std::string> why;
      for (const CandidateMeasure& c : choice.candidates) why.push_back(c.backend + " " + c.not_timed_because);
      return fmt::format("{}", fmt::join(why, "; "));
    }());

  std::vector<size_t> contenders;
  for (size_t i = 0; i < plans.size(); ++i) {
    CandidateMeasure& c = choice.candidates[i];
    if (plans[i] && c.reference_macs > least_reference) {
      c.not_timed_because = fmt::format("(leaves {} of {} to reference kernels)", units::format_macs(c.reference_macs),
                                        units::format_macs(cost.macs));
      plans[i].reset();
    }
    if (plans[i]) contenders.push_back(i);
  }
  if (contenders.size() == 1) {
    choice.backend = choice.candidates[contenders.front()].backend;
    choice.reason = describe(choice, options, runs);
    return choice;
  }
  const TensorMap inputs = random_inputs(graph, options.input_shapes, 1);
  double best = std::numeric_limits<double>::infinity();
  for (size_t i : contenders) {
    CandidateMeasure& c = choice.candidates[i];
    // Each engine is timed alone, its plan freed before the next runs: worker threads still
    // spinning from one engine's runs would slow the other's.
    c.median_ms = median_run_ms(*plans[i], inputs, warmup, runs);
    plans[i].reset();
    if (c.median_ms < best) {
      best = c.median_ms;
      choice.backend = c.backend;
    }
  }
  choice.reason = describe(choice, options, runs);
  return choice;
}

}  // namespace stride
