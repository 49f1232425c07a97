#pragma once
// Pruning in steps (seed 002's iterative schedule; one step is the paper's): step k of K reaches k/K
// of the requested ratio of the original filters, each step scored on the model the steps before it
// left and, if the caller fine-tunes, recovered before the next. Used by `stride prune` and open to
// any program that links the library; what needs a dataset (activation samples, fine-tuning) comes
// from the caller.
#include <functional>
#include <string>
#include <vector>

#include "stride/compress/filter_pruning.h"

namespace stride::compress {

struct IterativePruning {
  PruneOptions options;  // criterion, seed, backend; options.selection is the whole request
  int steps = 1;
  // Activation criterion: batches of inputs of the model as it is at a step.
  std::function<std::vector<TensorMap>(const Graph& model)> samples;
  // Run after each step (fine-tuning); empty: none.
  std::function<Graph(const Graph& model)> after_step;
  // One line per step as it ends.
  std::function<void(const std::string& line)> report;
};

struct IterativePruneResult {
  Graph model;
  Selection overall;  // the whole prune against the original, per layer (the paper's "19 (20)")
};

// The ratio of the remaining filters that step k of `steps` removes so that, after it, `ratio` · k /
// steps of the original ones are gone.
double step_ratio(double ratio, int k, int steps);

// Throws stride::Error for steps < 1, a missing `samples` with the activation criterion, and what
// prune_filters throws.
IterativePruneResult prune_iteratively(const Graph& original, const IterativePruning& request);

}  // namespace stride::compress
