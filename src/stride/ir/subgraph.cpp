#include "stride/ir/subgraph.h"

#include <algorithm>
#include <set>

#include "stride/core/error.h"

namespace stride {
namespace {

// Keeps `nodes` (in graph order) and the initializers they read; inputs/outputs are set by the caller.
Graph with_nodes(const Graph& graph, const std::vector<bool>& keep) {
  Graph out;
  out.name = graph.name;
  out.metadata = graph.metadata;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (!keep[i]) continue;
    out.nodes.push_back(graph.nodes[i]);
    for (const auto& in : graph.nodes[i].inputs)
      if (auto it = graph.initializers.find(in); it != graph.initializers.end()) out.initializers.insert(*it);
  }
  return out;
}

}  // namespace

Graph prune_to_outputs(const Graph& graph, const std::vector<std::string>& outputs) {
  std::set<std::string> needed(outputs.begin(), outputs.end());
  std::vector<bool> keep(graph.nodes.size(), false);
  const auto order = topological_order(graph);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Node& n = graph.nodes[*it];
    bool used = false;
    for (const auto& o : n.outputs) used = used || needed.count(o);
    if (!used) continue;
    keep[*it] = true;
    needed.insert(n.inputs.begin(), n.inputs.end());
  }
  Graph out = with_nodes(graph, keep);
  for (const auto& v : graph.inputs)
    if (needed.count(v.name)) out.inputs.push_back(v);
  for (const auto& name : outputs) {
    const auto it = std::find_if(graph.outputs.begin(), graph.outputs.end(), [&](const ValueInfo& v) { return v.name == name; });
    if (it != graph.outputs.end()) out.outputs.push_back(*it);
    else out.outputs.push_back({name, DType::f32, {}});
  }
  validate(out);
  return out;
}

namespace {

// Nodes that compute from initializers alone (a DequantizeLinear or Cast of a weight, a Constant)
// depend on no input: the head takes along those its nodes read.
void keep_constant_producers(const Graph& graph, const std::vector<size_t>& order, std::vector<bool>& keep) {
  std::set<std::string> constant_values;
  for (const auto& [name, tensor] : graph.initializers)
    if (!graph.input(name)) constant_values.insert(name);
  std::vector<bool> constant(graph.nodes.size(), false);
  for (size_t i : order) {
    const Node& n = graph.nodes[i];
    constant[i] = std::all_of(n.inputs.begin(), n.inputs.end(),
                              [&](const std::string& in) { return in.empty() || constant_values.count(in); });
    if (constant[i]) constant_values.insert(n.outputs.begin(), n.outputs.end());
  }
  std::set<std::string> needed;
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    if (keep[i]) needed.insert(graph.nodes[i].inputs.begin(), graph.nodes[i].inputs.end());
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Node& n = graph.nodes[*it];
    if (keep[*it] || !constant[*it]) continue;
    if (std::none_of(n.outputs.begin(), n.outputs.end(), [&](const std::string& o) { return needed.count(o); }))
      continue;
    keep[*it] = true;
    needed.insert(n.inputs.begin(), n.inputs.end());
  }
}

}  // namespace

Graph graph_after(const Graph& graph, const ValueInfo& value_info) {
  // A node belongs to the head when it reads the cut value or the output of another head node.
  std::set<std::string> downstream{value_info.name};
  std::vector<bool> keep(graph.nodes.size(), false);
  const std::vector<size_t> order = topological_order(graph);
  for (size_t i : order) {
    const Node& n = graph.nodes[i];
    bool reads_cut = false;
    for (const auto& in : n.inputs) reads_cut = reads_cut || downstream.count(in);
    if (!reads_cut) continue;
    keep[i] = true;
    downstream.insert(n.outputs.begin(), n.outputs.end());
  }
  keep_constant_producers(graph, order, keep);
  Graph out = with_nodes(graph, keep);
  out.inputs = {value_info};
  for (const auto& v : graph.outputs)
    if (v.name != value_info.name && downstream.count(v.name)) out.outputs.push_back(v);
  for (const auto& n : out.nodes)
    for (const auto& in : n.inputs)
      if (graph.input(in)) fail("node '{}' after '{}' also reads graph input '{}'", n.name, value_info.name, in);
  validate(out);
  return out;
}

}  // namespace stride
