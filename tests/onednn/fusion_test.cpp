// Which nodes end up in one primitive, and that fused primitives compute what the nodes did.
#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

using Nodes = std::vector<std::string>;

// x -> conv(+bias) -> Add(per-channel constant) -> Relu -> Add(residual) : one convolution.
TEST(OnednnFusion, ConvBiasReluAddIsOnePrimitive) {
  GraphMaker m;
  m.input("x", {2, 16, 8, 8});
  m.input("residual", {2, 32, 8, 8});
  m.node("Conv", "conv", {"x", m.weight("w", {32, 16, 3, 3}), m.weight("b", {32})},
         attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Add", "shift", {"conv", m.weight("channel_shift", {1, 32, 1, 1})});
  m.node("Relu", "relu", {"shift"});
  m.node("Add", "sum", {"residual", "relu"});
  m.output("sum");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(plan->fused_nodes(), (std::vector<Nodes>{{"conv", "shift", "relu", "sum"}}));
  size_t convolutions = 0;
  for (const auto& s : plan->steps()) convolutions += s.primitive == "convolution";
  EXPECT_EQ(convolutions, 1u);
}

// Sum before the activation (ResNet's order) and a batch norm folded into the weights.
TEST(OnednnFusion, ConvBatchNormSumThenActivation) {
  GraphMaker m;
  m.input("x", {1, 8, 10, 10});
  m.node("Conv", "stem", {"x", m.weight("w0", {16, 8, 3, 3})}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Relu", "stem_relu", {"stem"});
  m.node("Conv", "conv", {"stem_relu", m.weight("w1", {16, 16, 3, 3})}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  Tensor variance = random_tensor({16}, 9);
  for (float& v : variance.values<float>()) v = 0.5f + std::abs(v);
  m.node("BatchNormalization", "bn",
         {"conv", m.weight("gamma", {16}), m.weight("beta", {16}), m.weight("mean", {16}), m.constant("var", variance)},
         attributes({{"epsilon", 1e-3f}}));
  m.node("Add", "residual", {"bn", "stem_relu"});
  m.node("Clip", "clip", {"residual"}, attributes({{"min", 0.0f}, {"max", 0.8f}}));
  m.output("clip");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(plan->fused_nodes(), (std::vector<Nodes>{{"stem", "stem_relu"}, {"conv", "bn", "residual", "clip"}}));
}

// A value read by two nodes cannot be fused into its producer; an Add operand read later is copied.
TEST(OnednnFusion, ValuesWithOtherReadersStayVisible) {
  GraphMaker m;
  m.input("x", {1, 4, 6, 6});
  m.node("Conv", "conv_a", {"x", m.weight("wa", {8, 4, 1, 1})});
  m.node("Conv", "conv_b", {"x", m.weight("wb", {8, 4, 1, 1})});
  m.node("Relu", "relu_a", {"conv_a"});
  m.node("Add", "sum", {"conv_b", "relu_a"});
  m.node("Mul", "product", {"sum", "relu_a"});  // relu_a is read again after the sum
  m.output("product").output("conv_a");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(plan->fused_nodes(), (std::vector<Nodes>{{"conv_b", "sum"}}));
}

// Two branches joined by an Add (GaitSet's global pipeline): the sum writes over the other branch's
// result, which nothing reads afterwards, instead of copying it.
TEST(OnednnFusion, SumReusesADeadOperandInPlace) {
  GraphMaker m;
  m.input("x", {2, 16, 6, 6});
  m.node("Conv", "conv_a", {"x", m.weight("wa", {32, 16, 3, 3})}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("LeakyRelu", "act_a", {"conv_a"}, attributes({{"alpha", 0.1f}}));
  m.node("Conv", "conv_b", {"x", m.weight("wb", {32, 16, 3, 3})}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Add", "joined", {"act_a", "conv_b"});
  m.output("joined");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(plan->fused_nodes(), (std::vector<Nodes>{{"conv_a", "act_a", "joined"}}));
  if (kOnednnHasJitKernels)
    for (const auto& s : plan->steps()) EXPECT_NE(s.converts, "conv_b") << "the sum operand was copied";
}

// Gemm and MatMul take bias adds and activations too.
TEST(OnednnFusion, GemmAndMatMulFuseTheirEpilogue) {
  GraphMaker m;
  m.input("x", {4, 32});
  m.node("Gemm", "dense", {"x", m.weight("w", {16, 32}), m.weight("b", {16})}, attributes({{"transB", int64_t{1}}}));
  m.node("Tanh", "tanh", {"dense"});
  m.node("MatMul", "project", {"tanh", m.weight("p", {16, 8})});
  m.node("Add", "bias", {"project", m.weight("pb", {8})});
  m.node("Sigmoid", "gate", {"bias"});
  m.output("gate");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(plan->fused_nodes(), (std::vector<Nodes>{{"dense", "tanh"}, {"project", "bias", "gate"}}));
  EXPECT_EQ(plan->primitive_count(), 2u);
}

}  // namespace
}  // namespace stride::testing
