#pragma once
// Physical removal: the pruned graph is a smaller dense model. Every sliced initializer loses the
// positions of removed channels, Reshape targets and depthwise `group` attributes shrink with them;
// a grouped convolution keeps its `group`, each run of its filters losing its own removed inputs.
#include <cstdint>
#include <map>
#include <vector>

#include "stride/compress/channel_groups.h"

namespace stride::compress {

// Channels each group keeps, ascending; a group absent from the map keeps all of its channels.
using KeptChannels = std::map<int, std::vector<int64_t>>;

// Positions (ascending) of an axis laid out as `layout` that survive when groups keep `kept`.
std::vector<int64_t> kept_positions(const AxisLayout& layout, const KeptChannels& kept);

// The graph with the channels not in `kept` removed. Throws stride::Error when a group that is
// not prunable loses channels, a group would lose all of them, or a group read by grouped
// convolutions would keep unequally many channels in its runs.
Graph remove_channels(const Graph& graph, const ChannelGroups& groups, const KeptChannels& kept);

// `tensor` with only `positions` (ascending) along `axis`.
Tensor take_along_axis(const Tensor& tensor, int axis, const std::vector<int64_t>& positions);

// A grouped convolution's weights [filters, inputs per run, ...] with only the inputs each run of
// filters keeps: `kept[j]` (ascending, equally many for every j) are run j's, counted from its start.
Tensor take_per_run(const Tensor& weights, const std::vector<std::vector<int64_t>>& kept);

}  // namespace stride::compress
