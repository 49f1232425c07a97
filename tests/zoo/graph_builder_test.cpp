#include "stride/zoo/graph_builder.h"

#include <gtest/gtest.h>

#include <cmath>

namespace stride::zoo {
namespace {

double mean_of(std::span<const float> v) {
  double sum = 0;
  for (float x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

double stddev_of(std::span<const float> v) {
  const double m = mean_of(v);
  double sum = 0;
  for (float x : v) sum += (x - m) * (x - m);
  return std::sqrt(sum / static_cast<double>(v.size()));
}

TEST(GraphBuilder, NamesNodesByScopeAndKeepsThemUnique) {
  GraphBuilder b("g", 0);
  std::string x = b.input("x", {-1, 4});
  b.scope("block");
  x = b.relu(x);
  x = b.relu(x);
  b.scope("");
  x = b.relu(x);
  b.output(x, "y", {-1, 4});
  const Graph g = std::move(b).finish();
  ASSERT_EQ(g.nodes.size(), 3u);
  EXPECT_EQ(g.nodes[0].name, "block/Relu");
  EXPECT_EQ(g.nodes[1].name, "block/Relu_2");
  EXPECT_EQ(g.nodes[2].name, "Relu");
  EXPECT_EQ(g.nodes[1].inputs, std::vector<std::string>{"block/Relu"});
  EXPECT_EQ(g.nodes[2].outputs, std::vector<std::string>{"y"});
}

TEST(GraphBuilder, OutputRenamesTheValueWhereverItIsRead) {
  GraphBuilder b("g", 0);
  const std::string r = b.relu(b.input("x", {2}));
  const std::string s = b.relu(r);
  b.output(r, "first", {2});
  b.output(s, "second", {2});
  const Graph g = std::move(b).finish();
  EXPECT_EQ(g.nodes[0].outputs, std::vector<std::string>{"first"});
  EXPECT_EQ(g.nodes[1].inputs, std::vector<std::string>{"first"});
  EXPECT_EQ(g.outputs.size(), 2u);
}

TEST(GraphBuilder, RefusesATakenName) {
  GraphBuilder b("g", 0);
  b.input("x", {2});
  EXPECT_THROW(b.input("x", {2}), Error);
  const std::string r = b.relu("x");
  EXPECT_THROW(b.output(r, "x", {2}), Error);
  EXPECT_THROW(b.output("x", "y", {2}), Error);  // an input is not a node's output
}

TEST(GraphBuilder, ConvHasOnnxLayoutAttributesAndHeNormalWeights) {
  GraphBuilder b("g", 5);
  b.scope("c");
  const std::string y =
      b.conv(b.input("x", {-1, 8, 10, 10}),
             {.in_channels = 8, .out_channels = 64, .kernel = {3, 5}, .strides = {2, 1}, .pads = {1, 2, 1, 2}});
  b.output(y, "y", {-1, 64, 5, 10});
  const Graph g = std::move(b).finish();
  const Node& conv = g.nodes.at(0);
  EXPECT_EQ(conv.op_type, "Conv");
  EXPECT_EQ(conv.inputs, (std::vector<std::string>{"x", "c/Conv.weight", "c/Conv.bias"}));
  EXPECT_EQ(conv.attrs.get_ints("kernel_shape"), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(conv.attrs.get_ints("strides"), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(conv.attrs.get_ints("pads"), (std::vector<int64_t>{1, 2, 1, 2}));

  const Tensor& w = g.initializers.at("c/Conv.weight");
  EXPECT_EQ(w.shape(), (Shape{64, 8, 3, 5}));
  // He-normal: N(0, 2 / fan_in), fan_in = 8 · 3 · 5.
  EXPECT_NEAR(mean_of(w.values<float>()), 0.0, 0.01);
  EXPECT_NEAR(stddev_of(w.values<float>()), std::sqrt(2.0 / 120.0), 0.03 * std::sqrt(2.0 / 120.0));
  const Tensor& bias = g.initializers.at("c/Conv.bias");
  EXPECT_EQ(bias.shape(), (Shape{64}));
  for (float v : bias.values<float>()) EXPECT_EQ(v, 0.0f);
}

TEST(GraphBuilder, ConvWithoutBiasHasTwoInputs) {
  GraphBuilder b("g", 0);
  const std::string y =
      b.conv(b.input("x", {1, 1, 4, 4}), {.in_channels = 1, .out_channels = 2, .kernel = {3, 3}, .bias = false});
  EXPECT_EQ(std::move(b).finish().nodes.at(0).inputs.size(), 2u);
  (void)y;
}

TEST(GraphBuilder, ConvRefusesMismatchedStrides) {
  GraphBuilder b("g", 0);
  EXPECT_THROW(
      b.conv(b.input("x", {1, 1, 4, 4}), {.in_channels = 1, .out_channels = 2, .kernel = {3, 3}, .strides = {1}}),
      Error);
}

TEST(GraphBuilder, DenseIsGemmWithTransposedGlorotWeights) {
  GraphBuilder b("g", 9);
  b.scope("fc");
  const std::string y = b.dense(b.input("x", {-1, 300}), 300, 200);
  b.output(y, "y", {-1, 200});
  const Graph g = std::move(b).finish();
  const Node& gemm = g.nodes.at(0);
  EXPECT_EQ(gemm.op_type, "Gemm");
  EXPECT_EQ(gemm.attrs.get_int("transB"), 1);
  const Tensor& w = g.initializers.at("fc/Gemm.weight");
  EXPECT_EQ(w.shape(), (Shape{200, 300}));
  // Glorot-uniform: U(±sqrt(6 / (300 + 200))), whose standard deviation is limit / sqrt(3).
  const double limit = std::sqrt(6.0 / 500.0);
  for (float v : w.values<float>()) ASSERT_LE(std::abs(v), limit);
  EXPECT_NEAR(stddev_of(w.values<float>()), limit / std::sqrt(3.0), 0.02 * limit);
}

TEST(GraphBuilder, ReshapeReadsAnInt64ShapeInitializer) {
  GraphBuilder b("g", 0);
  const std::string y = b.reshape(b.input("x", {-1, 2, 3}), {-1, 6});
  const Graph g = std::move(b).finish();
  const Node& node = g.nodes.at(0);
  EXPECT_EQ(node.op_type, "Reshape");
  const Tensor& shape = g.initializers.at(node.inputs.at(1));
  EXPECT_EQ(shape.dtype(), DType::s64);
  EXPECT_EQ(shape.to_int64_vector(), (std::vector<int64_t>{-1, 6}));
  (void)y;
}

TEST(GraphBuilder, ReductionsCarryAxesAndKeepdimsAsAttributes) {
  GraphBuilder b("g", 0);
  const std::string x = b.input("x", {2, 3, 4});
  b.reduce_max(x, {1}, false);
  b.reduce_mean(x, {2}, true);
  const Graph g = std::move(b).finish();
  EXPECT_EQ(g.nodes[0].op_type, "ReduceMax");
  EXPECT_EQ(g.nodes[0].attrs.get_ints("axes"), std::vector<int64_t>{1});
  EXPECT_EQ(g.nodes[0].attrs.get_int("keepdims"), 0);
  EXPECT_EQ(g.nodes[1].op_type, "ReduceMean");
  EXPECT_EQ(g.nodes[1].attrs.get_int("keepdims"), 1);
}

TEST(GraphBuilder, SameSeedSameWeights) {
  auto build = [](uint64_t seed) {
    GraphBuilder b("g", seed);
    b.dense(b.input("x", {1, 16}), 16, 16);
    return std::move(b).finish();
  };
  EXPECT_EQ(build(3), build(3));
  EXPECT_NE(build(3).initializers.at("Gemm.weight"), build(4).initializers.at("Gemm.weight"));
}

}  // namespace
}  // namespace stride::zoo
