#include "stride/compress/iterative_pruning.h"

#include <fmt/format.h>

namespace stride::compress {

double step_ratio(double ratio, int k, int steps) {
  const double done = ratio * (k - 1) / steps, target = ratio * k / steps;
  return (target - done) / (1 - done);
}

IterativePruneResult prune_iteratively(const Graph& original, const IterativePruning& request) {
  if (request.steps < 1) fail("--steps must be at least 1");
  const bool by_activation = request.options.criterion == Criterion::activation;
  if (by_activation && !request.samples) fail("the activation criterion needs input samples");
  const SelectionRequest& whole = request.options.selection;
  PruneOptions options = request.options;
  Graph model = original;
  for (int k = 1; k <= request.steps; ++k) {
    options.selection = whole;
    options.selection.ratio = step_ratio(whole.ratio, k, request.steps);
    for (auto& [pattern, ratio] : options.selection.ratio_for) ratio = step_ratio(ratio, k, request.steps);
    if (by_activation) options.samples = request.samples(model);
    const PruneStep step = prune_filters(model, options);
    model = step.graph;
    if (request.report)
      request.report(
          fmt::format("step {}/{}: {} criterion, {:.1f} % of the remaining filters requested, {:.1f} % "
                      "removed",
                      k, request.steps, criterion_name(options.criterion), 100 * step.selection.requested,
                      100 * step.selection.real));
    if (request.after_step) model = request.after_step(model);
  }
  return {model, compare_layers(original, model, whole)};
}

}  // namespace stride::compress
