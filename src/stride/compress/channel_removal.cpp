#include "stride/compress/channel_removal.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <set>

#include "stride/ir/shape_inference.h"

namespace stride::compress {

std::vector<int64_t> kept_positions(const AxisLayout& layout, const KeptChannels& kept) {
  // Within one period of Σ channels, which channel offsets survive.
  std::vector<int64_t> offsets;
  int64_t start = 0;
  for (const Segment& segment : layout.segments) {
    auto it = kept.find(segment.group);
    if (segment.group == kFixedChannels || it == kept.end()) {
      for (int64_t c = 0; c < segment.channels; ++c) offsets.push_back(start + c);
    } else {
      for (int64_t c : it->second) offsets.push_back(start + c);
    }
    start += segment.channels;
  }
  std::vector<int64_t> positions;
  positions.reserve(layout.outer * offsets.size() * layout.inner);
  for (int64_t o = 0; o < layout.outer; ++o)
    for (int64_t c : offsets)
      for (int64_t i = 0; i < layout.inner; ++i) positions.push_back((o * start + c) * layout.inner + i);
  return positions;
}

Tensor take_along_axis(const Tensor& tensor, int axis, const std::vector<int64_t>& positions) {
  Shape shape = tensor.shape();
  const size_t element = dtype_size(tensor.dtype());
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  const int64_t extent = shape[axis];
  shape[axis] = static_cast<int64_t>(positions.size());
  Tensor result(tensor.dtype(), shape);
  const size_t run = inner * element;
  std::byte* out = result.raw();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t p : positions) {
      std::memcpy(out, tensor.raw() + (o * extent + p) * run, run);
      out += run;
    }
  return result;
}

Tensor take_per_run(const Tensor& weights, const std::vector<std::vector<int64_t>>& kept) {
  Shape shape = weights.shape();
  const auto runs = static_cast<int64_t>(kept.size());
  const int64_t rows_per_run = shape[0] / runs, extent = shape[1];
  int64_t inner = 1;
  for (size_t d = 2; d < shape.size(); ++d) inner *= shape[d];
  shape[1] = static_cast<int64_t>(kept.front().size());
  Tensor result(weights.dtype(), shape);
  const size_t run = inner * dtype_size(weights.dtype());
  std::byte* out = result.raw();
  for (int64_t row = 0; row < shape[0]; ++row)
    for (int64_t p : kept[row / rows_per_run]) {
      std::memcpy(out, weights.raw() + (row * extent + p) * run, run);
      out += run;
    }
  return result;
}

namespace {

// The kept positions of a grouped convolution's input layout (one whole group, see
// channel_groups.h), split into its runs and counted from each run's start.
std::vector<std::vector<int64_t>> kept_per_run(const TensorAxis& slice, const KeptChannels& kept) {
  const int64_t length = slice.layout.size() / slice.runs;
  std::vector<std::vector<int64_t>> per_run(slice.runs);
  for (int64_t p : kept_positions(slice.layout, kept)) per_run[p / length].push_back(p % length);
  return per_run;
}

void check_kept(const ChannelGroups& groups, const KeptChannels& kept) {
  for (const auto& [id, channels] : kept) {
    const ChannelGroup& group = groups.groups.at(id);
    if (channels.empty()) fail("pruning would remove every channel of the group of '{}'", group.producers.front());
    if (static_cast<int64_t>(channels.size()) == group.channels) continue;
    if (!group.prunable()) fail("the group of '{}' cannot be pruned: {}", group.producers.front(), group.blocked);
    for (size_t i = 0; i < channels.size(); ++i)
      if (channels[i] < 0 || channels[i] >= group.channels || (i > 0 && channels[i] <= channels[i - 1]))
        fail("kept channels of the group of '{}' must be ascending and below {}", group.producers.front(),
             group.channels);
    std::vector<int64_t> per_run(group.runs, 0);
    for (int64_t c : channels) ++per_run[c / (group.channels / group.runs)];
    if (std::adjacent_find(per_run.begin(), per_run.end(), std::not_equal_to<>()) != per_run.end())
      fail(
          "the group of '{}' is read by grouped convolutions in {} runs of {} channels and must keep equally many "
          "in each",
          group.producers.front(), group.runs, group.channels / group.runs);
  }
}

Node& node_named(Graph& graph, const std::string& name) {
  for (Node& node : graph.nodes)
    if (node.name == name) return node;
  fail("no node '{}' in the graph", name);
}

std::string unused_initializer_name(const Graph& graph, const std::string& base) {
  std::string name = base;
  for (int i = 2; graph.is_initializer(name); ++i) name = base + "_" + std::to_string(i);
  return name;
}

}  // namespace

Graph remove_channels(const Graph& graph, const ChannelGroups& groups, const KeptChannels& kept) {
  check_kept(groups, kept);
  Graph pruned = graph;
  for (const TensorAxis& slice : groups.slices) {
    Tensor& tensor = pruned.initializers.at(slice.tensor);
    tensor = slice.runs > 1 ? take_per_run(tensor, kept_per_run(slice, kept))
                            : take_along_axis(tensor, slice.axis, kept_positions(slice.layout, kept));
  }
  for (const ShapeEdit& edit : groups.shape_edits) {
    Node& node = node_named(pruned, edit.node);
    std::vector<int64_t> target = pruned.initializers.at(node.inputs[1]).to_int64_vector();
    const int64_t full = edit.layout.size();
    target[edit.entry] = target[edit.entry] / full * static_cast<int64_t>(kept_positions(edit.layout, kept).size());
    // Each edited Reshape gets its own target: another Reshape may share the original.
    const std::string name = unused_initializer_name(pruned, node.name + "/pruned_shape");
    pruned.initializers[name] = Tensor::from_vector<int64_t>({static_cast<int64_t>(target.size())}, target);
    node.inputs[1] = name;
  }
  for (const GroupAttrEdit& edit : groups.group_attr_edits)
    node_named(pruned, edit.node).attrs.set("group", static_cast<int64_t>(kept_positions(edit.layout, kept).size()));
  drop_unread_initializers(pruned);
  infer_shapes(pruned);  // a removal the analysis got wrong fails here, not at run time
  return pruned;
}

}  // namespace stride::compress
