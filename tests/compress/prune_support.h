#pragma once
// What the pruning tests share: running a graph on `ref`, choosing channels to drop, and zeroing
// the dropped channels' filters so that the unpruned model computes exactly what the pruned one
// does.
#include <algorithm>
#include <set>
#include <string>

#include "stride/compress/channel_removal.h"
#include "stride/engine/inputs.h"
#include "stride/engine/ref/ref_backend.h"

namespace stride::testing {

inline TensorMap run_ref(const Graph& graph, int64_t batch, uint64_t seed = 7) {
  const auto shapes = input_shapes_at_batch(graph, batch);
  return RefBackend().compile(graph, {.threads = 0, .input_shapes = shapes})->run(random_inputs(graph, shapes, seed));
}

// Every prunable group (dense ones too) keeps every third channel of each of its runs (one unless
// grouped convolutions read it), and at least one.
inline compress::KeptChannels every_third_channel(const compress::ChannelGroups& groups) {
  compress::KeptChannels kept;
  for (const compress::ChannelGroup& group : groups.groups) {
    const int64_t length = group.channels / group.runs;
    if (!group.prunable() || length < 2) continue;
    for (int64_t run = 0; run < group.runs; ++run)
      for (int64_t c = 0; c < length; c += 3) kept[group.id].push_back(run * length + c);
  }
  return kept;
}

// Sets to zero the filters and per-channel output parameters of the channels `kept` drops.
inline Graph zero_dropped_channels(Graph graph, const compress::ChannelGroups& groups,
                                   const compress::KeptChannels& kept) {
  for (const compress::TensorAxis& slice : groups.slices) {
    if (slice.role == compress::SliceRole::input) continue;
    const std::vector<int64_t> keep = compress::kept_positions(slice.layout, kept);
    const std::set<int64_t> kept_set(keep.begin(), keep.end());
    Tensor& t = graph.initializers.at(slice.tensor);
    int64_t inner = 1;
    for (size_t d = slice.axis + 1; d < t.rank(); ++d) inner *= t.dim(d);
    const int64_t extent = t.dim(slice.axis);
    auto v = t.values<float>();
    for (size_t i = 0; i < v.size(); ++i)
      if (!kept_set.count((static_cast<int64_t>(i) / inner) % extent)) v[i] = 0;
  }
  return graph;
}

}  // namespace stride::testing
