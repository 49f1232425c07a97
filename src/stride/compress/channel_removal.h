#pragma once
// Physical removal: the pruned graph is a smaller dense model. Every sliced initializer loses the
// positions of removed channels, Reshape targets and depthwise `group` attributes shrink with them.
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
// not prunable loses channels or a group would lose all of them.
Graph remove_channels(const Graph& graph, const ChannelGroups& groups, const KeptChannels& kept);

// `tensor` with only `positions` (ascending) along `axis`.
Tensor take_along_axis(const Tensor& tensor, int axis, const std::vector<int64_t>& positions);

}  // namespace stride::compress
