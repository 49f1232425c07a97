// The xnnpack backend against the ref backend (the oracle): every zoo model, and each operator it
// lowers with the attributes that change how (groups, padding, strides, dilation, ceil mode,
// transposed weights, broadcasting), plus the cases it leaves to ref — which must still be right
// and show up as ref steps.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "graph_maker.h"
#include "stride/engine/inputs.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/engine/xnnpack/xnnpack_backend.h"
#include "stride/zoo/zoo.h"
#include "tensor_compare.h"

namespace stride::testing {
namespace {

using xnnpack::XnnpackPlan;

// Compiles for `shapes`, runs on seeded inputs in [-1, 1) and compares every output with ref.
std::unique_ptr<XnnpackPlan> expect_matches_ref(const Graph& graph, const std::map<std::string, Shape>& shapes,
                                                int threads = 2) {
  auto plan = XnnpackBackend().compile_plan(graph, {.threads = threads, .input_shapes = shapes});
  const TensorMap inputs = signed_random_inputs(graph, shapes);
  const TensorMap got = plan->run(inputs);
  const TensorMap want = RefBackend().compile(graph, {})->run(inputs);
  EXPECT_EQ(got.size(), want.size());
  for (const auto& [name, expected] : want) EXPECT_TRUE(close_to(got.at(name), expected, 1e-4)) << name;
  return plan;
}

// The engine of the step that computes `node` ("xnnpack" or "ref"); a fused Relu is named with its producer.
std::string engine_of(const XnnpackPlan& plan, const std::string& node) {
  for (const auto& s : plan.steps())
    if (s.engine != "layout" && (s.nodes == node || s.nodes.rfind(node + " + ", 0) == 0)) return s.engine;
  return "none";
}

class ZooOnXnnpack : public ::testing::TestWithParam<std::string> {};

// Every zoo model at batch 1 and 3 within 1e-4 (relative to the largest value) of ref, every
// convolution on XNNPACK (cnn3d's 3-D ones as sums of 2-D convolutions over frames).
TEST_P(ZooOnXnnpack, MatchesRefWithEveryConvolutionOnXnnpack) {
  ZooOptions options;
  options.width_mult = 0.25;
  options.classes = 6;
  const Graph graph = build_model(GetParam(), options);
  for (const int64_t batch : {1, 3}) {
    const auto plan = expect_matches_ref(graph, input_shapes_at_batch(graph, batch));
    for (const Node& n : graph.nodes)
      if (n.op_type == "Conv" || n.op_type == "Gemm") EXPECT_EQ(engine_of(*plan, n.name), "xnnpack") << n.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Zoo, ZooOnXnnpack, ::testing::Values("cnn2d", "cnn3d", "cnn3dto2d", "gaitset"));

TEST(XnnpackBackend, GaitSetsSetPoolingRunsOnRefAndSaysSo) {
  ZooOptions options;
  options.width_mult = 0.25;
  const Graph graph = build_model("gaitset", options);
  const auto plan =
      XnnpackBackend().compile_plan(graph, {.threads = 1, .input_shapes = input_shapes_at_batch(graph, 1)});
  bool reduce_on_ref = false, layout_change = false;
  for (const auto& s : plan->steps()) {
    reduce_on_ref = reduce_on_ref || (s.engine == "ref" && s.what == "ReduceMax");
    layout_change = layout_change || s.engine == "layout";
  }
  EXPECT_TRUE(reduce_on_ref);
  EXPECT_TRUE(layout_change);
}

TEST(XnnpackConv, GroupsPaddingStridesDilationAndBias) {
  GraphMaker m;
  const auto x = m.input("x", {2, 4, 11, 9});
  Attributes a = attributes(
      {{"group", int64_t{2}}, {"pads", Ints{1, 0, 2, 1}}, {"strides", Ints{2, 1}}, {"dilations", Ints{1, 2}}});
  m.node("Conv", "y", {x, m.weight("w", {6, 2, 3, 3}), m.weight("b", {6})}, a);
  m.node("Conv", "z", {"y", m.weight("w2", {5, 6, 1, 1})});
  m.output("z");
  const auto plan = expect_matches_ref(m.graph(), {});
  EXPECT_EQ(engine_of(*plan, "y"), "xnnpack");
  EXPECT_EQ(engine_of(*plan, "z"), "xnnpack");
}

TEST(XnnpackConv, AReluThatAloneReadsAConvolutionIsFused) {
  GraphMaker m;
  m.node("Relu", "r", {m.node("Conv", "c", {m.input("x", {1, 3, 8, 8}), m.weight("w", {4, 3, 3, 3})})});
  m.output("r");
  const auto plan = expect_matches_ref(m.graph(), {});
  EXPECT_EQ(engine_of(*plan, "c"), "xnnpack");
  bool fused = false;
  for (const auto& s : plan->steps()) fused = fused || s.nodes == "c + Relu";
  EXPECT_TRUE(fused);
}

// Frame by frame where a tap's frames are not contiguous: temporal stride, padding and dilation.
TEST(XnnpackConv, ThreeDimensionalWithTemporalStridePaddingAndDilation) {
  GraphMaker m;
  m.node("Conv", "y", {m.input("x", {2, 2, 7, 6, 6}), m.weight("w", {3, 2, 3, 3, 3}), m.weight("b", {3})},
         attributes({{"strides", Ints{2, 1, 1}}}));
  m.node("Conv", "z", {"y", m.weight("w2", {2, 3, 2, 3, 3})}, attributes({{"pads", Ints{1, 1, 0, 1, 1, 0}}}));
  m.node("Conv", "d", {"z", m.weight("w3", {2, 2, 2, 1, 1})}, attributes({{"dilations", Ints{2, 1, 1}}}));
  m.node("Relu", "r", {m.node("Conv", "v", {"d", m.weight("w4", {2, 2, 1, 1, 1}), m.weight("b4", {2})})});
  m.output("r");
  const auto plan = expect_matches_ref(m.graph(), {});
  for (const char* node : {"y", "z", "d", "v"}) EXPECT_EQ(engine_of(*plan, node), "xnnpack") << node;
}

TEST(XnnpackConv, GroupedThreeDimensionalIsLeftToRefAndStillRight) {
  GraphMaker m;
  m.node("Conv", "g", {m.input("x", {1, 4, 4, 5, 5}), m.weight("w", {4, 2, 2, 3, 3})},
         attributes({{"group", int64_t{2}}}));
  m.output("g");
  EXPECT_EQ(engine_of(*expect_matches_ref(m.graph(), {}), "g"), "ref");
}

TEST(XnnpackPool, CeilModePaddingAndTheOneByOneWindowLeftToRef) {
  GraphMaker m;
  const auto x = m.input("x", {2, 3, 9, 7});
  m.node("MaxPool", "p", {x},
         attributes({{"kernel_shape", Ints{3, 2}}, {"strides", Ints{2, 2}}, {"ceil_mode", int64_t{1}}}));
  m.node("MaxPool", "q", {"p"}, attributes({{"kernel_shape", Ints{2, 2}}, {"pads", Ints{1, 1, 0, 0}}}));
  m.node("MaxPool", "one", {"q"}, attributes({{"kernel_shape", Ints{1, 1}}}));
  m.output("one");
  const auto plan = expect_matches_ref(m.graph(), {});
  EXPECT_EQ(engine_of(*plan, "p"), "xnnpack");
  EXPECT_EQ(engine_of(*plan, "q"), "xnnpack");
  EXPECT_EQ(engine_of(*plan, "one"), "ref");
}

TEST(XnnpackGemm, TransposedWeightsBetaAndAnAlphaLeftToRef) {
  GraphMaker m;
  const auto x = m.input("x", {3, 8});
  m.node("Gemm", "a", {x, m.weight("w", {8, 5}), m.weight("c", {5})}, attributes({{"beta", 0.5f}}));
  m.node("Gemm", "b", {"a", m.weight("wt", {4, 5})}, attributes({{"transB", int64_t{1}}}));
  m.node("Gemm", "s", {"b", m.weight("w3", {4, 4})}, attributes({{"alpha", 2.0f}}));
  m.node("Softmax", "p", {"s"});
  m.output("p");
  const auto plan = expect_matches_ref(m.graph(), {});
  EXPECT_EQ(engine_of(*plan, "a"), "xnnpack");
  EXPECT_EQ(engine_of(*plan, "b"), "xnnpack");
  EXPECT_EQ(engine_of(*plan, "s"), "ref");
  EXPECT_EQ(engine_of(*plan, "p"), "xnnpack");
}

TEST(XnnpackElementwise, AddBroadcastsAndLeakyReluKeepsTheLayout) {
  GraphMaker m;
  const auto c = m.node("Conv", "c", {m.input("x", {2, 3, 5, 5}), m.weight("w", {4, 3, 1, 1})});
  const auto l = m.node("LeakyRelu", "l", {c}, attributes({{"alpha", 0.2f}}));
  const auto same = m.node("Add", "same", {l, c});                // channels-last, as they are
  m.node("Add", "wide", {same, m.weight("bias", {1, 4, 1, 1})});  // broadcast, channels-first
  m.output("wide");
  const auto plan = expect_matches_ref(m.graph(), {});
  for (const char* node : {"l", "same", "wide"}) EXPECT_EQ(engine_of(*plan, node), "xnnpack") << node;
}

TEST(XnnpackBackend, OneThreadGivesTheSameOutputs) {
  ZooOptions options;
  options.width_mult = 0.25;
  const Graph graph = build_model("cnn2d", options);
  expect_matches_ref(graph, input_shapes_at_batch(graph, 2), 1);
}

// Like onednn, a plan is compiled for fixed shapes (a free dimension is 1 unless given) and refuses others.
TEST(XnnpackBackend, RunsTheShapesItWasCompiledForAndRefusesOthersClearly) {
  ZooOptions options;
  options.width_mult = 0.25;
  const Graph graph = build_model("cnn2d", options);
  auto plan = XnnpackBackend().compile(graph, {.threads = 1});
  EXPECT_EQ(plan->run(random_inputs(graph, input_shapes_at_batch(graph, 1), 1)).size(), graph.outputs.size());
  try {
    plan->run(random_inputs(graph, input_shapes_at_batch(graph, 3), 1));
    ADD_FAILURE() << "ran another batch";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("compiled for f32 [1,50,60,60]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(plan->run({}), Error);
}

// Stride's NaN rule (engine/backend.h): XNNPACK's clamp and max pooling would drop a NaN, so the
// plan refuses an input holding one (or an infinity), naming it, as the onednn engine does.
TEST(XnnpackBackend, AnInputHoldingNanIsRefusedNotTurnedFinite) {
  ZooOptions options;
  options.width_mult = 0.25;
  const Graph graph = build_model("cnn2d", options);
  auto plan = XnnpackBackend().compile(graph, {.threads = 1});
  TensorMap inputs = random_inputs(graph, input_shapes_at_batch(graph, 1), 1);
  Tensor& x = inputs.begin()->second;
  x.values<float>()[7] = std::numeric_limits<float>::quiet_NaN();
  try {
    plan->run(inputs);
    ADD_FAILURE() << "ran an input holding NaN";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("holds nan at index 7: the xnnpack engine"), std::string::npos) << e.what();
  }
  x.values<float>()[7] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(plan->run(inputs), Error);
}

}  // namespace
}  // namespace stride::testing
