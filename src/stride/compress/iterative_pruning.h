#pragma once
// Pruning in steps (the iterative schedule of Balemans et al. 2024; one step is the paper's): step k of K reaches k/K
// of the requested ratio of the original filters, each step scored on the model the steps before it
// left and, if the caller fine-tunes, recovered before the next. Used by `stride prune` and open to
// any program that links the library; what needs a dataset (activation samples, fine-tuning) comes
// from the caller.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stride/compress/filter_pruning.h"

namespace stride::compress {

// How the steps share the requested ratio R of K steps: step k has removed R · k / K of the original
// filters (linear), or 1 − (1 − R)^(k / K) (geometric: every step removes the same share of what
// is left, Balemans et al.'s (2024) "12 steps × 0.9").
enum class StepRule { linear, geometric };

struct IterativePruning {
  PruneOptions options;  // criterion, seed, backend; options.selection is the whole request
  int steps = 1;
  StepRule rule = StepRule::linear;
  bool allow_short = false;  // a real ratio short of the requested one warns instead of failing
  // Activation criterion: batches of inputs of the model as it is at a step.
  std::function<std::vector<TensorMap>(const Graph& model)> samples;
  // Run after each step (fine-tuning); empty: none.
  std::function<Graph(const Graph& model)> after_step;
  // One line per step as it ends, when there are several.
  std::function<void(const std::string& line)> report;
};

struct IterativePruneResult {
  Graph model;
  Selection overall;  // the whole prune against the original, per layer (the paper's "19 (20)")
};

// The ratio of the `remaining` filters that step k of `steps` removes so that, after it, the share of
// the `original` ones `rule` sets for step k are gone (`ratio` · k / steps when linear). It counts
// what the steps before really removed, not what they were asked to: filters are whole, and a step
// asked for less than one would remove none, so that many small steps would prune nothing; the next
// step makes up what one fell short of.
double step_ratio(double ratio, int k, int steps, int64_t original, int64_t remaining,
                  StepRule rule = StepRule::linear);

// Throws stride::Error for steps < 1, a missing `samples` with the activation criterion, a real
// ratio short of the requested one (compress/ratio_check.h), and what prune_filters throws. The
// model's history gets one entry for the whole prune.
IterativePruneResult prune_iteratively(const Graph& original, const IterativePruning& request);

}  // namespace stride::compress
