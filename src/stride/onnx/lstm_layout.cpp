#include "stride/onnx/lstm_layout.h"

#include "stride/core/error.h"

namespace stride::onnx_io {
namespace {

// LSTM inputs and outputs that carry a batch dimension, and the permutation from their
// batch-first to their sequence-first form (a swap of the first two dims for all of them but Y).
constexpr size_t kX = 0, kInitialH = 5, kInitialC = 6;
constexpr size_t kY = 0, kYh = 1, kYc = 2;
const std::vector<int64_t> kSwapFirstTwo = {1, 0, 2};
// Y is [seq, directions, batch, hidden] sequence-first and [batch, seq, directions, hidden] batch-first.
const std::vector<int64_t> kYToBatchFirst = {2, 0, 1, 3};

Node transpose(const std::string& name, const std::string& input, const std::string& output,
               const std::vector<int64_t>& perm) {
  Node node{name, "Transpose", {input}, {output}, {}};
  node.attrs.set("perm", perm);
  return node;
}

// Returns the nodes to put before and after `lstm`, which it rewires to sequence-first values.
std::pair<std::vector<Node>, std::vector<Node>> wrap_in_transposes(Node& lstm, ValueNames& names) {
  std::vector<Node> before, after;
  for (size_t i : {kX, kInitialH, kInitialC}) {
    if (i >= lstm.inputs.size() || lstm.inputs[i].empty()) continue;
    const std::string seq_first = names.fresh(lstm.inputs[i] + "_seq_first");
    before.push_back(
        transpose(names.fresh(lstm.name + "_in" + std::to_string(i)), lstm.inputs[i], seq_first, kSwapFirstTwo));
    lstm.inputs[i] = seq_first;
  }
  for (size_t o : {kY, kYh, kYc}) {
    if (o >= lstm.outputs.size() || lstm.outputs[o].empty()) continue;
    const std::string seq_first = names.fresh(lstm.outputs[o] + "_seq_first");
    after.push_back(transpose(names.fresh(lstm.name + "_out" + std::to_string(o)), seq_first, lstm.outputs[o],
                              o == kY ? kYToBatchFirst : kSwapFirstTwo));
    lstm.outputs[o] = seq_first;
  }
  return {std::move(before), std::move(after)};
}

}  // namespace

void make_lstms_sequence_first(Graph& graph, ValueNames& names) {
  std::vector<Node> nodes;
  for (Node& node : graph.nodes) {
    const int64_t layout = node.op_type == "LSTM" ? node.attrs.get_int("layout", 0) : 0;
    if (layout != 0 && layout != 1)
      fail("node '{}' (LSTM): layout must be 0 (sequence first) or 1 (batch first), got {}", node.name, layout);
    if (node.op_type == "LSTM") node.attrs.erase("layout");
    if (layout == 0) {
      nodes.push_back(std::move(node));
      continue;
    }
    auto [before, after] = wrap_in_transposes(node, names);
    nodes.insert(nodes.end(), before.begin(), before.end());
    nodes.push_back(std::move(node));
    nodes.insert(nodes.end(), after.begin(), after.end());
  }
  graph.nodes = std::move(nodes);
}

}  // namespace stride::onnx_io
