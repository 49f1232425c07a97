#pragma once
// Types and shapes of every value in a graph, and the values known before run time.
#include <map>
#include <string>

#include "stride/ir/graph.h"
#include "stride/ir/op_registry.h"

namespace stride {

struct GraphShapes {
  std::map<std::string, TensorInfo> values;  // every input, initializer and node output
  // Values of Constant nodes and, within a run, of integer graph inputs (initializers stay in the graph).
  std::map<std::string, Tensor> constants;
  const TensorInfo& at(const std::string& value) const;
};

// Infers in topological order. `input_shapes` overrides the declared shapes of graph inputs;
// a dimension still unknown (-1) afterwards is taken as 1. Throws stride::Error naming the node
// on an unsupported op, a wrong input count or a shape mismatch.
GraphShapes infer_shapes(const Graph& graph, const std::map<std::string, Shape>& input_shapes = {});

// infer_shapes for one run on `inputs`: their shapes fix the graph inputs' dims, and the values of
// integer inputs count as known, so that a shape or axes operand fed as a graph input (as ONNX's
// own test cases feed Reshape, Squeeze and ReduceSum) reads like a constant. Only backends that
// infer shapes per run (ref) can use this; the others fix shapes at compile time.
GraphShapes infer_shapes_for_run(const Graph& graph, const std::map<std::string, Tensor>& inputs);

// The InferContext of one node, given the shapes known so far.
InferContext make_infer_context(const Graph& graph, const Node& node, const GraphShapes& shapes);

// Ops of the graph that the registry lacks, each with the names of the nodes that use it.
std::map<std::string, std::vector<std::string>> unsupported_ops(const Graph& graph);

// Throws one stride::Error listing every unsupported op and its nodes, if there is any.
void check_ops_supported(const Graph& graph);

}  // namespace stride
