#include <gtest/gtest.h>

#include "stride/ir/subgraph.h"

namespace stride {
namespace {

// x -> relu a -> relu feature -> relu h -> relu probabilities; plus an unused branch x -> relu z
Graph chain() {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 4}}};
  g.outputs = {{"feature", DType::f32, {-1, 4}}, {"probabilities", DType::f32, {-1, 4}}};
  g.nodes = {{"n1", "Relu", {"x"}, {"a"}, {}},          {"n2", "Relu", {"a"}, {"feature"}, {}},
             {"n3", "Relu", {"feature"}, {"h"}, {}},    {"n4", "Relu", {"h"}, {"probabilities"}, {}},
             {"side", "Relu", {"x"}, {"z"}, {}}};
  return g;
}

std::vector<std::string> node_names(const Graph& g) {
  std::vector<std::string> names;
  for (const auto& n : g.nodes) names.push_back(n.name);
  return names;
}

TEST(Subgraph, FeatureExtractorKeepsOnlyWhatTheFeatureNeeds) {
  const Graph fe = prune_to_outputs(chain(), {"feature"});
  EXPECT_EQ(node_names(fe), (std::vector<std::string>{"n1", "n2"}));
  ASSERT_EQ(fe.outputs.size(), 1u);
  EXPECT_EQ(fe.outputs[0].name, "feature");
  EXPECT_EQ(fe.inputs.size(), 1u);
}

TEST(Subgraph, HeadStartsAtTheCut) {
  const Graph head = graph_after(chain(), {"feature", DType::f32, {-1, 4}});
  EXPECT_EQ(node_names(head), (std::vector<std::string>{"n3", "n4"}));
  ASSERT_EQ(head.inputs.size(), 1u);
  EXPECT_EQ(head.inputs[0].name, "feature");
  ASSERT_EQ(head.outputs.size(), 1u);
  EXPECT_EQ(head.outputs[0].name, "probabilities");
}

TEST(Subgraph, HeadTakesAlongTheConstantNodesItReads) {
  // A quantized head: its weight comes out of a DequantizeLinear of initializers, which reads no
  // value after the cut but is needed by it; the extractor's own weight DequantizeLinear stays out.
  Graph g = chain();
  g.initializers["w_q"] = Tensor(DType::s8, {4});
  g.initializers["w_scale"] = Tensor::scalar(0.5f);
  g.initializers["v_q"] = Tensor(DType::s8, {4});
  g.nodes.push_back({"w_dq", "DequantizeLinear", {"w_q", "w_scale"}, {"w"}, {}});
  g.nodes.push_back({"v_dq", "DequantizeLinear", {"v_q", "w_scale"}, {"v"}, {}});
  g.nodes[2] = {"n3", "Add", {"feature", "w"}, {"h"}, {}};
  g.nodes[1] = {"n2", "Add", {"a", "v"}, {"feature"}, {}};
  const Graph head = graph_after(g, {"feature", DType::f32, {-1, 4}});
  EXPECT_EQ(node_names(head), (std::vector<std::string>{"n3", "n4", "w_dq"}));
  EXPECT_EQ(head.initializers.count("w_q"), 1u);
  EXPECT_EQ(head.initializers.count("v_q"), 0u);
}

TEST(Subgraph, HeadReadingAGraphInputIsRefused) {
  Graph g = chain();
  g.nodes[3].inputs = {"h"};
  g.nodes.push_back({"mix", "Add", {"h", "x"}, {"m"}, {}});
  g.outputs.push_back({"m", DType::f32, {-1, 4}});
  EXPECT_THROW(graph_after(g, {"feature", DType::f32, {-1, 4}}), Error);
}

}  // namespace
}  // namespace stride
