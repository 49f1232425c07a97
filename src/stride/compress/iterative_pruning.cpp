#include "stride/compress/iterative_pruning.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "stride/compress/ratio_check.h"
#include "stride/core/usage_error.h"

namespace stride::compress {
namespace {

// The filters of each pool of `request` in `model`, counted as select_channels counts them.
std::map<int, int64_t> pool_filters(const Graph& model, const SelectionRequest& request) {
  std::map<int, int64_t> filters;
  for (const ChannelGroup& group : find_channel_groups(model).groups)
    if (!group.dense || request.dense)
      filters[pool_of(group, request)] += group.channels * static_cast<int64_t>(group.producers.size());
  return filters;
}

}  // namespace

double step_ratio(double ratio, int k, int steps, int64_t original, int64_t remaining, StepRule rule) {
  if (remaining <= 0) return 0;
  const double share = static_cast<double>(k) / steps;
  const double gone = rule == StepRule::linear ? ratio * share : 1 - std::pow(1 - ratio, share);
  const double target = gone * static_cast<double>(original);
  const double removed = static_cast<double>(original - remaining);
  return std::max(0.0, (target - removed) / static_cast<double>(remaining));
}

IterativePruneResult prune_iteratively(const Graph& original, const IterativePruning& request) {
  if (request.steps < 1) usage_fail("--steps must be at least 1, got {}", request.steps);
  const bool by_activation = request.options.criterion == Criterion::activation;
  if (by_activation && !request.samples) fail("the activation criterion needs input samples");
  const SelectionRequest& whole = request.options.selection;
  const std::map<int, int64_t> before = pool_filters(original, whole);
  PruneOptions options = request.options;
  options.record_history = false;
  Graph model = original;
  Selection overall;
  for (int k = 1; k <= request.steps; ++k) {
    std::map<int, int64_t> now = pool_filters(model, whole);
    auto ratio_of = [&](int pool, double ratio) {
      return step_ratio(ratio, k, request.steps, before.at(pool), now[pool], request.rule);
    };
    options.selection = whole;
    options.selection.ratio = before.count(-1) ? ratio_of(-1, whole.ratio) : whole.ratio;
    for (size_t i = 0; i < whole.ratio_for.size(); ++i)
      if (before.count(static_cast<int>(i)))
        options.selection.ratio_for[i].second = ratio_of(static_cast<int>(i), whole.ratio_for[i].second);
    if (by_activation) options.samples = request.samples(model);
    const PruneStep step = prune_filters(model, options);
    model = step.graph;
    if (request.report && request.steps > 1)  // one step: the caller's summary says it all
      request.report(
          fmt::format("step {}/{}: {} criterion, {:.1f} % of the remaining filters requested, {:.1f} % "
                      "removed",
                      k, request.steps, criterion_name(options.criterion), 100 * step.selection.requested,
                      100 * step.selection.real));
    // Checked before the last fine-tuning, which changes no shape: a refused prune costs no more.
    if (k == request.steps) {
      overall = compare_layers(original, model, whole);
      check_ratio_met(overall, whole, request.allow_short);
    }
    if (request.after_step) model = request.after_step(model);
  }
  record_pruning(model, request.options, overall, request.steps);
  return {model, overall};
}

}  // namespace stride::compress
