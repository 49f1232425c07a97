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

TEST(Subgraph, HeadReadingAGraphInputIsRefused) {
  Graph g = chain();
  g.nodes[3].inputs = {"h"};
  g.nodes.push_back({"mix", "Add", {"h", "x"}, {"m"}, {}});
  g.outputs.push_back({"m", DType::f32, {-1, 4}});
  EXPECT_THROW(graph_after(g, {"feature", DType::f32, {-1, 4}}), Error);
}

}  // namespace
}  // namespace stride
