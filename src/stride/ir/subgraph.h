#pragma once
// Cutting a graph in two at a value: the feature extractor (everything that computes the value)
// and the head (everything after it), so that the two can be timed separately as the paper does.
#include <string>
#include <vector>

#include "stride/ir/graph.h"

namespace stride {

// The nodes needed to compute `outputs`, with only the initializers and inputs they read.
Graph prune_to_outputs(const Graph& graph, const std::vector<std::string>& outputs);

// The nodes that run after `value` is known, with `value` as the only input (its type and shape
// taken from `value_info`) and the graph's other outputs as outputs. Throws if a node after the cut
// reads a graph input, since the head then does not depend on the cut alone.
Graph graph_after(const Graph& graph, const ValueInfo& value_info);

}  // namespace stride
