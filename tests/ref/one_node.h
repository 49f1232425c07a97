#pragma once
// Builds a graph of a single node and runs it through RefBackend, so that a kernel test reads as
// "these inputs, these attributes, expect these outputs".
//
// Inputs are given in the node's input order as (name, tensor) pairs:
//   - a name starting with '$' becomes an initializer (a constant the shape function can read,
//     e.g. Reshape's shape), any other name a graph input;
//   - an empty name marks an absent optional input (its tensor is ignored).
// Outputs are named "out0", "out1", ...; an empty name in the explicit-names form marks an
// output the node does not produce.
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/attributes.h"
#include "stride/ir/graph.h"

namespace stride::testing {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

inline std::string one_node_output_name(size_t i) { return "out" + std::to_string(i); }

// Attributes from a brace list: attrs({{"axis", int64_t{1}}, {"alpha", 0.5f}}).
inline Attributes attrs(std::initializer_list<std::pair<std::string, AttrValue>> values) {
  Attributes a;
  for (const auto& [name, value] : values) a.set(name, value);
  return a;
}

// The graph of one node named after its op in lower case ("Conv" -> 'conv').
inline Graph one_node_graph(const std::string& op, const NamedTensors& inputs_in_order, Attributes attributes,
                            const std::vector<std::string>& output_names) {
  Graph g;
  g.name = op + "_graph";
  Node node;
  for (char c : op) node.name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  node.op_type = op;
  node.attrs = std::move(attributes);
  for (const auto& [name, tensor] : inputs_in_order) {
    node.inputs.push_back(name);
    if (name.empty()) continue;
    if (name.front() == '$')
      g.initializers[name] = tensor;
    else
      g.inputs.push_back({name, tensor.dtype(), tensor.shape()});
  }
  node.outputs = output_names;
  // Output dtype/shape are left for shape inference; the declared infos only name the outputs.
  for (const auto& o : output_names)
    if (!o.empty()) g.outputs.push_back({o, DType::f32, {}});
  g.nodes.push_back(std::move(node));
  return g;
}

inline Graph one_node_graph(const std::string& op, const NamedTensors& inputs_in_order, Attributes attributes = {},
                            size_t num_outputs = 1) {
  std::vector<std::string> names;
  for (size_t i = 0; i < num_outputs; ++i) names.push_back(one_node_output_name(i));
  return one_node_graph(op, inputs_in_order, std::move(attributes), names);
}

// Runs the graph's one node on the tensors it was built from; returns its outputs by name.
inline TensorMap run_one_node_graph(const Graph& g, const NamedTensors& inputs_in_order) {
  TensorMap feeds;
  for (const auto& [name, tensor] : inputs_in_order)
    if (!name.empty() && name.front() != '$') feeds[name] = tensor;
  return RefBackend().compile(g, {})->run(feeds);
}

inline TensorMap run_one_node(const std::string& op, const NamedTensors& inputs_in_order, Attributes attributes = {},
                              size_t num_outputs = 1) {
  return run_one_node_graph(one_node_graph(op, inputs_in_order, std::move(attributes), num_outputs), inputs_in_order);
}

inline TensorMap run_one_node(const std::string& op, const NamedTensors& inputs_in_order, Attributes attributes,
                              const std::vector<std::string>& output_names) {
  return run_one_node_graph(one_node_graph(op, inputs_in_order, std::move(attributes), output_names), inputs_in_order);
}

// The first output of a one-output run.
inline Tensor run_one_node_single(const std::string& op, const NamedTensors& inputs_in_order,
                                  Attributes attributes = {}) {
  return run_one_node(op, inputs_in_order, std::move(attributes)).at(one_node_output_name(0));
}

inline std::vector<float> float_values(const Tensor& t) {
  auto v = t.values<float>();
  return {v.begin(), v.end()};
}

// EXPECT_TRUE(tensor_near(y, {1, 2}, {0.5f, 1.0f})): the shape matches and every value is within
// `tolerance` of the expected one.
inline ::testing::AssertionResult tensor_near(const Tensor& actual, const Shape& shape,
                                              const std::vector<float>& expected, float tolerance = 1e-5f) {
  if (actual.shape() != shape)
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.shape()) << ", expected " << shape_str(shape);
  const std::vector<float> got = float_values(actual);
  if (got.size() != expected.size())
    return ::testing::AssertionFailure() << got.size() << " values, expected " << expected.size();
  for (size_t i = 0; i < got.size(); ++i)
    if (!(std::fabs(got[i] - expected[i]) <= tolerance))
      return ::testing::AssertionFailure() << "value #" << i << " is " << got[i] << ", expected " << expected[i];
  return ::testing::AssertionSuccess();
}

}  // namespace stride::testing
