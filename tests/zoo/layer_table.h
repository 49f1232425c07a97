#pragma once
// Compares a model's per-layer costs with a table written out by hand in a test.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "stride/ir/cost.h"

namespace stride::zoo_test {

struct ExpectedLayer {
  std::string node;
  Shape output_shape;
  int64_t params;
  int64_t macs;
};

// Every expected layer must be in `cost` with these figures, and every layer of `cost` that holds
// weights or does multiply-accumulates must be expected.
inline void expect_layer_table(const ModelCost& cost, const std::vector<ExpectedLayer>& expected) {
  std::map<std::string, const LayerCost*> by_node;
  for (const LayerCost& layer : cost.layers) by_node[layer.node] = &layer;
  std::map<std::string, bool> listed;
  for (const ExpectedLayer& e : expected) {
    listed[e.node] = true;
    auto it = by_node.find(e.node);
    if (it == by_node.end()) {
      ADD_FAILURE() << "no layer '" << e.node << "'";
      continue;
    }
    EXPECT_EQ(it->second->output_shape, e.output_shape) << e.node;
    EXPECT_EQ(it->second->params, e.params) << e.node;
    EXPECT_EQ(it->second->macs, e.macs) << e.node;
  }
  for (const LayerCost& layer : cost.layers) {
    if (listed.count(layer.node)) continue;
    EXPECT_EQ(layer.params, 0) << "unexpected weights in " << layer.node;
    EXPECT_EQ(layer.macs, 0) << "unexpected MACs in " << layer.node;
  }
}

// Output shape of a layer by node name.
inline Shape layer_shape(const ModelCost& cost, const std::string& node) {
  for (const LayerCost& layer : cost.layers)
    if (layer.node == node) return layer.output_shape;
  ADD_FAILURE() << "no layer '" << node << "'";
  return {};
}

// Elements of the float initializers: the model's learnable parameters.
inline int64_t float_parameters(const Graph& graph) {
  int64_t total = 0;
  for (const auto& [name, t] : graph.initializers)
    if (t.dtype() == DType::f32) total += t.numel();
  return total;
}

}  // namespace stride::zoo_test
