#include "stride/ir/graph.h"

#include <algorithm>
#include <queue>
#include <set>
#include <unordered_map>

namespace stride {

const Node* Graph::producer(const std::string& value) const {
  for (const auto& n : nodes)
    for (const auto& o : n.outputs)
      if (o == value) return &n;
  return nullptr;
}

size_t Graph::reads(const std::string& value) const {
  size_t count = 0;
  for (const auto& n : nodes) count += static_cast<size_t>(std::count(n.inputs.begin(), n.inputs.end(), value));
  return count;
}

const ValueInfo* Graph::input(const std::string& name) const {
  for (const auto& v : inputs)
    if (v.name == name) return &v;
  return nullptr;
}

std::vector<size_t> topological_order(const Graph& graph) {
  // Who produces each value: -1 for graph inputs and initializers.
  std::unordered_map<std::string, long> producer_of;
  auto define = [&](const std::string& value, long who, const std::string& where) {
    if (value.empty()) return;
    if (!producer_of.emplace(value, who).second) fail("value '{}' is produced twice ({})", value, where);
  };
  for (const auto& v : graph.inputs) define(v.name, -1, "graph input");
  for (const auto& [name, t] : graph.initializers)
    if (!graph.input(name)) define(name, -1, "initializer");
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    for (const auto& o : graph.nodes[i].outputs)
      define(o, static_cast<long>(i), "node '" + graph.nodes[i].name + "'");

  // Kahn's algorithm; the queue is ordered by index so that the order is stable.
  std::vector<size_t> pending(graph.nodes.size(), 0);
  std::vector<std::vector<size_t>> consumers(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    for (const auto& in : graph.nodes[i].inputs) {
      if (in.empty()) continue;
      auto it = producer_of.find(in);
      if (it == producer_of.end())
        fail("node '{}' ({}) reads '{}', which no input, initializer or node produces", graph.nodes[i].name,
             graph.nodes[i].op_type, in);
      if (it->second >= 0) {
        ++pending[i];
        consumers[static_cast<size_t>(it->second)].push_back(i);
      }
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < pending.size(); ++i)
    if (pending[i] == 0) ready.push(i);
  std::vector<size_t> order;
  order.reserve(graph.nodes.size());
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t c : consumers[i])
      if (--pending[c] == 0) ready.push(c);
  }
  if (order.size() != graph.nodes.size()) {
    for (size_t i = 0; i < pending.size(); ++i)
      if (pending[i] != 0) fail("graph has a cycle through node '{}' ({})", graph.nodes[i].name, graph.nodes[i].op_type);
  }
  return order;
}

void validate(const Graph& graph) {
  topological_order(graph);
  std::set<std::string> produced;
  for (const auto& v : graph.inputs) produced.insert(v.name);
  for (const auto& [name, t] : graph.initializers) produced.insert(name);
  for (const auto& n : graph.nodes) produced.insert(n.outputs.begin(), n.outputs.end());
  for (const auto& o : graph.outputs)
    if (!produced.count(o.name)) fail("graph output '{}' is not produced by any node", o.name);
}

Graph sorted(Graph graph) {
  const auto order = topological_order(graph);
  std::vector<Node> nodes;
  nodes.reserve(order.size());
  for (size_t i : order) nodes.push_back(std::move(graph.nodes[i]));
  graph.nodes = std::move(nodes);
  return graph;
}

void drop_unread_initializers(Graph& graph) {
  std::set<std::string> read;
  for (const Node& node : graph.nodes) read.insert(node.inputs.begin(), node.inputs.end());
  for (const ValueInfo& out : graph.outputs) read.insert(out.name);
  std::erase_if(graph.initializers, [&](const auto& entry) { return !read.count(entry.first); });
}

}  // namespace stride
