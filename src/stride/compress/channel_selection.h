#pragma once
// Which channels to remove: the paper's global percentile. One threshold over the scores of all
// filters of all layers of a pool; filters under it go, except that every layer keeps at least one
// filter and a group that cannot be pruned keeps all — which is why the real ratio can fall short
// of the requested one (the paper's Table 6, "19 (20)").
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stride/compress/channel_removal.h"
#include "stride/compress/importance.h"

namespace stride::compress {

struct SelectionRequest {
  double ratio = 0.3;  // fraction of the filters to remove, in [0, 1)
  // Per-part ratios: groups with a producer whose name matches the glob form their own pool
  // (first match wins), e.g. {"gl_*", 0.2}.
  std::vector<std::pair<std::string, double>> ratio_for;
  bool normalize = false;  // scores divided by their group's mean: layers of every scale compete
  // A layer loses at most this share of its filters (rounded down); the threshold moves on past a
  // layer at its limit, so the other layers make up the total (Torch-Pruning's max_pruning_ratio).
  // 1: no limit but the paper's one filter kept, applied after the threshold.
  double max_layer_ratio = 1.0;
  int64_t round_to = 1;  // kept channel counts rounded up to a multiple of this
  // With round_to > 1: the threshold ranks whole blocks of round_to filters instead (each group's
  // lowest-scored first, scored by their mean; a group keeps at least one block), taken while the
  // total stays nearest the budget, so that the real ratio meets the requested one as closely as
  // blocks allow instead of falling short by the rounding.
  bool whole_blocks = false;
  bool dense = false;  // also prune dense layers (Gemm/MatMul neurons); the paper prunes convolutions
};

struct LayerSelection {
  std::string node;  // a producer
  int64_t before = 0;
  int64_t after = 0;
  double requested = 0;  // the ratio of its pool
  std::string blocked;   // why it kept everything, when it could not be pruned
};

struct Selection {
  KeptChannels kept;  // only groups that lose channels
  std::vector<LayerSelection> layers;
  double requested = 0;  // filter-weighted over the pools
  double real = 0;       // removed filters / filters
  int64_t filters = 0;   // filters of the pruned pools, before
  // The most filters the threshold takes at once (a channel times its group's producers, or a
  // whole block of them): the real ratio can only approach the requested one to within this many.
  int64_t granularity = 1;
};

// The pool of a group: the index of the first --ratio-for pattern one of its producers matches, or
// -1 (the --ratio pool).
int pool_of(const ChannelGroup& group, const SelectionRequest& request);

// The ratio `request` asks of a group's pool.
double requested_ratio(const ChannelGroup& group, const SelectionRequest& request);

// Throws stride::Error on a ratio outside [0, 1), a bad round_to or a pattern matching no layer.
Selection select_channels(const ChannelGroups& groups, const ChannelScores& scores, const SelectionRequest& request);

// The layers of `before` with their filters in `before` and in `after` (a pruned `before`), and the
// real and requested ratios over them: a whole iterative prune seen as one.
Selection compare_layers(const Graph& before, const Graph& after, const SelectionRequest& request);

}  // namespace stride::compress
