#pragma once
// The IR: a graph of ONNX-semantics ops. Values are named; weights are initializers (named
// constant tensors); Stride's own facts about a model live in `metadata`.
#include <map>
#include <string>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/ir/attributes.h"

namespace stride {

struct ValueInfo {
  std::string name;
  DType dtype = DType::f32;
  Shape shape;  // -1 for a dimension known only at run time
  bool operator==(const ValueInfo&) const = default;
};

struct Node {
  std::string name;
  std::string op_type;              // ONNX operator name: "Conv", "Relu", ...
  std::vector<std::string> inputs;  // "" marks an absent optional input
  std::vector<std::string> outputs;
  Attributes attrs;
  bool operator==(const Node&) const = default;
};

struct Graph {
  std::string name;
  std::vector<ValueInfo> inputs;   // run-time inputs only (not initializers)
  std::vector<ValueInfo> outputs;
  std::vector<Node> nodes;
  std::map<std::string, Tensor> initializers;
  std::map<std::string, std::string> metadata;

  bool operator==(const Graph&) const = default;

  const Node* producer(const std::string& value) const;  // nullptr for inputs and initializers
  size_t reads(const std::string& value) const;          // node inputs that name the value
  const ValueInfo* input(const std::string& name) const;
  bool is_initializer(const std::string& value) const { return initializers.count(value) != 0; }
};

// Checks that every node input is produced exactly once (by a graph input, an initializer or a
// node), that outputs are produced, and that there is no cycle. Throws stride::Error naming the
// node and value otherwise.
void validate(const Graph& graph);

// Indices of graph.nodes in an order where every node follows the producers of its inputs.
// Throws stride::Error naming a node on the cycle, or a node with a dangling input.
std::vector<size_t> topological_order(const Graph& graph);

// Returns the graph with nodes sorted topologically.
Graph sorted(Graph graph);

// Removes the initializers that no node reads and no graph output names (after a rewrite replaced them).
void drop_unread_initializers(Graph& graph);

}  // namespace stride
