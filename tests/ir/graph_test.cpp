#include <gtest/gtest.h>

#include "stride/ir/cost.h"
#include "stride/ir/graph.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

Graph two_relus() {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 4}}};
  g.outputs = {{"z", DType::f32, {-1, 4}}};
  g.nodes = {{"second", "Relu", {"y"}, {"z"}, {}}, {"first", "Relu", {"x"}, {"y"}, {}}};
  return g;
}

TEST(Graph, TopologicalOrderPutsProducersFirst) {
  EXPECT_EQ(topological_order(two_relus()), (std::vector<size_t>{1, 0}));
}

TEST(Graph, CycleIsRefusedNamingANode) {
  Graph g = two_relus();
  g.nodes[1].inputs = {"z"};
  try {
    topological_order(g);
    FAIL() << "cycle not detected";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
  }
}

TEST(Graph, ReadsCountsEveryInputThatNamesAValue) {
  Graph g = two_relus();
  g.nodes.push_back({"sum", "Add", {"y", "y"}, {"w"}, {}});
  EXPECT_EQ(g.reads("y"), 3u);  // "second" once, "sum" twice
  EXPECT_EQ(g.reads("x"), 1u);
  EXPECT_EQ(g.reads("z"), 0u);
}

TEST(Graph, DanglingInputIsRefused) {
  Graph g = two_relus();
  g.nodes[1].inputs = {"nowhere"};
  EXPECT_THROW(validate(g), Error);
}

TEST(ShapeInference, UnknownBatchTakesOverride) {
  const GraphShapes s = infer_shapes(two_relus(), {{"x", {8, 4}}});
  EXPECT_EQ(s.at("z").shape, (Shape{8, 4}));
  EXPECT_EQ(infer_shapes(two_relus()).at("z").shape, (Shape{1, 4}));
  EXPECT_THROW(infer_shapes(two_relus(), {{"x", {8, 5}}}), Error);
}

TEST(ShapeInference, UnsupportedOpsAreListedTogether) {
  Graph g = two_relus();
  g.nodes[0].op_type = "Frobnicate";
  g.nodes[1].op_type = "Frobnicate";
  try {
    infer_shapes(g);
    FAIL();
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("Frobnicate"), std::string::npos);
    EXPECT_NE(msg.find("'first'"), std::string::npos);
    EXPECT_NE(msg.find("'second'"), std::string::npos);
  }
}

TEST(Cost, CountsActivationsOfComputingOps) {
  const ModelCost c = model_cost(two_relus(), {{"x", {2, 4}}});
  ASSERT_EQ(c.layers.size(), 2u);
  EXPECT_EQ(c.activations, 16);
  EXPECT_EQ(c.params, 0);
}

}  // namespace
}  // namespace stride

namespace stride {
namespace {

TEST(Cost, ParametersAreWeightsNotShapeConstants) {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 2, 3}}};
  g.outputs = {{"y", DType::f32, {-1, 3}}};
  g.initializers["shape"] = Tensor::from_vector<int64_t>({2}, {-1, 6});
  g.initializers["w"] = Tensor(DType::f32, {3, 6});
  g.initializers["b"] = Tensor(DType::f32, {3});
  Node gemm{"fc", "Gemm", {"flat", "w", "b"}, {"y"}, {}};
  gemm.attrs.set("transB", int64_t{1});
  g.nodes = {{"reshape", "Reshape", {"x", "shape"}, {"flat"}, {}}, gemm};
  const ModelCost c = model_cost(g, {{"x", {4, 2, 3}}});
  EXPECT_EQ(c.params, 3 * 6 + 3);
  EXPECT_EQ(c.macs, 4 * 3 * 6);
  EXPECT_EQ(c.flops(), 2 * 4 * 3 * 6);
  EXPECT_EQ(c.activations, 4 * 3);  // the reshape is a view
  EXPECT_EQ(c.weight_bytes.at(DType::f32), (18 + 3) * 4);
  EXPECT_EQ(c.weight_bytes.at(DType::s64), 16);
}

}  // namespace
}  // namespace stride
