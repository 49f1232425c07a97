#include "stride/onnx/legacy_broadcast.h"

#include <iterator>
#include <numeric>

#include "stride/ir/shape_inference.h"
#include "stride/onnx/value_names.h"

namespace stride::onnx_io {
namespace {

bool broadcasts_from_axis(const Node& node) {
  return node.attrs.has("broadcast") && node.attrs.get_int("broadcast") != 0 && node.attrs.has("axis");
}

// The ranks of inputs A and B of graph.nodes[index], from shape inference over the nodes before it
// (earlier legacy nodes are realigned by then, as the numpy rule needs).
std::pair<int64_t, int64_t> input_ranks(Graph& graph, size_t index) {
  std::vector<Node> rest(std::make_move_iterator(graph.nodes.begin() + static_cast<ptrdiff_t>(index)),
                         std::make_move_iterator(graph.nodes.end()));
  graph.nodes.resize(index);
  const GraphShapes shapes = infer_shapes(graph);
  graph.nodes.insert(graph.nodes.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  const Node& node = graph.nodes[index];
  return {static_cast<int64_t>(shapes.at(node.inputs.at(0)).shape.size()),
          static_cast<int64_t>(shapes.at(node.inputs.at(1)).shape.size())};
}

}  // namespace

void drop_plain_legacy_broadcast(Node& node) {
  if (broadcasts_from_axis(node)) return;
  node.attrs.erase("broadcast");
  node.attrs.erase("axis");
}

void align_legacy_broadcasts(Graph& graph, int64_t opset) {
  if (opset >= kNumpyBroadcastSince) return;
  ValueNames names(graph);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (!broadcasts_from_axis(graph.nodes[i])) continue;
    const auto [rank_a, rank_b] = input_ranks(graph, i);
    Node& node = graph.nodes[i];
    const int64_t given_axis = node.attrs.get_int("axis");
    const int64_t axis = given_axis < 0 ? given_axis + rank_a : given_axis;
    const int64_t trailing = rank_a - axis - rank_b;
    if (axis < 0 || trailing < 0)
      fail("node '{}' ({}): B of rank {} cannot broadcast over A of rank {} from axis {}", node.name, node.op_type,
           rank_b, rank_a, given_axis);
    node.attrs.erase("broadcast");
    node.attrs.erase("axis");
    if (trailing == 0) continue;
    std::vector<int64_t> axes(static_cast<size_t>(trailing));
    std::iota(axes.begin(), axes.end(), rank_b);
    const std::string axes_name = names.fresh(node.name + "_trailing_axes");
    graph.initializers.emplace(axes_name, Tensor::from_vector<int64_t>({trailing}, axes));
    const std::string aligned = names.fresh(node.inputs[1] + "_aligned");
    Node unsqueeze{names.fresh(node.name + "_align"), "Unsqueeze", {node.inputs[1], axes_name}, {aligned}, {}};
    node.inputs[1] = aligned;
    graph.nodes.insert(graph.nodes.begin() + static_cast<ptrdiff_t>(i), std::move(unsqueeze));
    ++i;
  }
}

}  // namespace stride::onnx_io
