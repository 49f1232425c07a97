#pragma once
// One pruning step as the paper does it: score every filter with a criterion, pick the channels
// under the global percentile, remove them physically, and record what was done in the model's
// metadata ("stride.pruning", a JSON list with one entry per step).
#include <cstdint>
#include <vector>

#include "stride/compress/channel_selection.h"

namespace stride::compress {

struct PruneOptions {
  Criterion criterion = Criterion::l1;
  SelectionRequest selection;
  uint64_t seed = 1;                 // random criterion
  const Backend* backend = nullptr;  // activation criterion: where the samples run
  std::vector<TensorMap> samples;    // activation criterion: batches of model inputs
  bool record_history = true;        // false: the caller records a whole prune of several steps
};

struct PruneStep {
  Graph graph;
  Selection selection;
};

// Throws stride::Error when the model has nothing prunable (naming why each group is not) or the
// request is invalid.
PruneStep prune_filters(const Graph& graph, const PruneOptions& options);

// Appends one entry to the model's "stride.pruning" history: the options, the requested and real
// ratios and each layer's filters before and after, over `steps` steps.
void record_pruning(Graph& graph, const PruneOptions& options, const Selection& selection, int steps = 1);

// Groups as text, one per line: producers, channels, and why a group cannot be pruned.
std::string describe_groups(const ChannelGroups& groups);

}  // namespace stride::compress
