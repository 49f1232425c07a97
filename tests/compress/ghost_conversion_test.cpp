// The Ghost conversion (compress/ghost_conversion.h) on hand-made graphs: which convolutions become
// Ghost modules, their shapes and parameter counts by hand, their initial weights, and a refusal.
#include "stride/compress/ghost_conversion.h"

#include <gtest/gtest.h>

#include "compress/conv3d_graphs.h"
#include "stride/core/error.h"
#include "stride/ir/cost.h"
#include "stride/ir/shape_inference.h"

namespace stride::testing {
namespace {

Attributes conv_attrs(int64_t k, int64_t pad, int64_t group = 1) {
  Attributes a;
  a.set("kernel_shape", std::vector<int64_t>{k, k});
  a.set("strides", std::vector<int64_t>{1, 1});
  a.set("pads", std::vector<int64_t>{pad, pad, pad, pad});
  if (group != 1) a.set("group", group);
  return a;
}

// x [2,3,8,8] → conv1 (8 maps, 3×3, pads 1, bias) → "c1" → Relu → conv2 (4 maps, 1×1, no bias)
// → conv3 (2 maps, 1×1: too few) → grouped (2 maps, group 2) → y; "c1" is an output too.
// conv1's filter o holds the value (o + 1)/10 everywhere but filters 1, 4, 6, 7, which hold 5 + o:
// those four have the largest L1 norms.
Graph ghost_case() {
  Graph g;
  g.name = "ghost_case";
  g.inputs.push_back({"x", DType::f32, {2, 3, 8, 8}});
  Tensor w1(DType::f32, {8, 3, 3, 3});
  for (int64_t o = 0; o < 8; ++o) {
    const bool big = o == 1 || o == 4 || o == 6 || o == 7;
    for (int64_t i = 0; i < 27; ++i) w1.values<float>()[o * 27 + i] = big ? 5.0f + o : (o + 1) / 10.0f;
  }
  g.initializers["conv1.weight"] = w1;
  g.initializers["conv1.bias"] = Tensor::from_vector<float>({8}, {0, 1, 2, 3, 4, 5, 6, 7});
  g.initializers["conv2.weight"] = random_tensor({4, 8, 1, 1}, 21);
  g.initializers["conv3.weight"] = random_tensor({2, 4, 1, 1}, 22);
  g.initializers["grouped.weight"] = random_tensor({2, 1, 1, 1}, 23);
  g.nodes.push_back({"conv1", "Conv", {"x", "conv1.weight", "conv1.bias"}, {"c1"}, conv_attrs(3, 1)});
  g.nodes.push_back({"relu", "Relu", {"c1"}, {"r1"}, {}});
  g.nodes.push_back({"conv2", "Conv", {"r1", "conv2.weight"}, {"c2"}, conv_attrs(1, 0)});
  g.nodes.push_back({"conv3", "Conv", {"c2", "conv3.weight"}, {"c3"}, conv_attrs(1, 0)});
  g.nodes.push_back({"grouped", "Conv", {"c3", "grouped.weight"}, {"y"}, conv_attrs(1, 0, 2)});
  g.outputs.push_back({"y", DType::f32, {2, 2, 8, 8}});
  g.outputs.push_back({"c1", DType::f32, {2, 8, 8, 8}});
  return g;
}

TEST(GhostConversion, ReplacesTheEligibleConvolutionsKeepingTheirOutputs) {
  const Graph g = ghost_case();
  const GhostResult r = convert_to_ghost(g);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[0].node, "conv1");
  EXPECT_EQ(r.layers[1].node, "conv2");
  EXPECT_EQ(r.layers[0].nodes,
            (std::vector<std::string>{"conv1/ghost_primary", "conv1/ghost_cheap", "conv1/ghost_concat"}));
  ASSERT_EQ(r.skipped.size(), 2u);
  EXPECT_EQ(r.skipped[0].node, "conv3");
  EXPECT_NE(r.skipped[0].reason.find("fewer than 2 × ratio"), std::string::npos) << r.skipped[0].reason;
  EXPECT_EQ(r.skipped[1].node, "grouped");
  EXPECT_NE(r.skipped[1].reason.find("group 2"), std::string::npos) << r.skipped[1].reason;

  const Graph& out = r.graph;
  EXPECT_EQ(out.initializers.at("conv1/ghost_primary.weight").shape(), (Shape{4, 3, 3, 3}));
  EXPECT_EQ(out.initializers.at("conv1/ghost_cheap.weight").shape(), (Shape{4, 1, 3, 3}));
  EXPECT_EQ(node_named(out, "conv1/ghost_cheap").attrs.get_int("group"), 4);
  EXPECT_EQ(out.producer("c1")->name, "conv1/ghost_concat");
  EXPECT_EQ(out.producer("c2")->name, "conv2/ghost_concat");
  EXPECT_FALSE(out.initializers.count("conv1.weight"));  // the replaced weights are gone
  EXPECT_EQ(node_named(out, "relu").inputs[0], "c1");    // consumers unchanged
  // conv2 had no bias, so neither half has one.
  EXPECT_EQ(node_named(out, "conv2/ghost_primary").inputs.size(), 2u);
  EXPECT_EQ(node_named(out, "conv2/ghost_cheap").inputs.size(), 2u);

  // Parameters by hand. Before: conv1 8·3·9 + 8 = 224, conv2 4·8 = 32, conv3 2·4 = 8, grouped 2·1 = 2.
  // After: conv1 primary 4·3·9 + 4 = 112 and cheap 4·9 + 4 = 40; conv2 primary 2·8 = 16 and cheap
  // 2·9 = 18 (a 1×1 conv of few inputs gains nothing); conv3 and grouped unchanged.
  EXPECT_EQ(model_cost(g).params, 224 + 32 + 8 + 2);
  EXPECT_EQ(model_cost(out).params, 112 + 40 + 16 + 18 + 8 + 2);
  EXPECT_EQ(r.layers[0].params_before, 224);
  EXPECT_EQ(r.layers[0].params_after, 152);
  EXPECT_EQ(r.layers[1].params_after, 34);
  // MACs of conv1 at batch 2 (the declared input): 2·8·8 positions × (4·27 primary + 4·9 cheap).
  EXPECT_EQ(r.layers[0].macs_after, 2 * 64 * (4 * 27 + 4 * 9));
  EXPECT_EQ(r.layers[0].macs_before, 2 * 64 * 8 * 27);

  EXPECT_EQ(out.metadata.at("stride.convert.ghost").rfind("ratio 2: 2 of 4 convolutions", 0), 0u)
      << out.metadata.at("stride.convert.ghost");
  EXPECT_NE(out.metadata.at("stride.convert.ghost.layers").find("conv1: 8 maps = 4 primary + 4 cheap"),
            std::string::npos);
  EXPECT_NE(out.metadata.at("stride.convert.ghost.skipped").find("conv3"), std::string::npos);
}

// The primary conv keeps filters 1, 4, 6, 7 (largest L1): 1 stays at channel 1 (exact), 4, 6, 7
// fill channels 0, 2, 3; the cheap maps 4..7 start as copies of primary maps 0..3.
TEST(GhostConversion, StartsFromTheLargestFiltersAndCopiesThem) {
  const Graph g = ghost_case();
  const GhostResult r = convert_to_ghost(g);
  EXPECT_EQ(r.layers[0].kept, (std::vector<int64_t>{4, 1, 6, 7}));
  EXPECT_EQ(r.graph.initializers.at("conv1/ghost_primary.bias").values<float>()[0], 4.0f);
  const TensorMap inputs = inputs_for(g, 2);
  const Tensor before = run_on("ref", g, inputs).at("c1");
  const TensorMap after = run_on("ref", r.graph, inputs);
  const Tensor& c1 = after.at("c1");
  ASSERT_EQ(c1.shape(), before.shape());
  EXPECT_EQ(after.at("y").shape(), (Shape{2, 2, 8, 8}));
  const int64_t plane = 64;
  const auto map = [&](const Tensor& t, int64_t n, int64_t c) {
    return t.values<float>().subspan((n * 8 + c) * plane, plane);
  };
  for (int64_t n = 0; n < 2; ++n) {
    const int64_t source[8] = {4, 1, 6, 7, 4, 1, 6, 7};  // the original filter behind each channel
    for (int64_t c = 0; c < 8; ++c) {
      const auto got = map(c1, n, c), want = map(before, n, source[c]);
      for (int64_t i = 0; i < plane; ++i)
        ASSERT_NEAR(got[i], want[i], 1e-4 * std::abs(want[i]) + 1e-5) << n << " " << c;
    }
  }
}

TEST(GhostConversion, ARatioOfThreeMakesTwoCheapMapsPerPrimaryOne) {
  Graph g = ghost_case();
  g.initializers["conv1.weight"] = random_tensor({6, 3, 3, 3}, 31);
  g.initializers["conv1.bias"] = random_tensor({6}, 32);
  g.initializers["conv2.weight"] = random_tensor({4, 6, 1, 1}, 33);
  g.outputs[1].shape = {2, 6, 8, 8};
  const GhostResult r = convert_to_ghost(g, {.ratio = 3});
  ASSERT_EQ(r.layers.size(), 1u);  // conv2's 4 maps are not a multiple of 3
  EXPECT_EQ(r.graph.initializers.at("conv1/ghost_primary.weight").shape(), (Shape{2, 3, 3, 3}));
  EXPECT_EQ(r.graph.initializers.at("conv1/ghost_cheap.weight").shape(), (Shape{4, 1, 3, 3}));
  EXPECT_EQ(node_named(r.graph, "conv1/ghost_cheap").attrs.get_int("group"), 2);
  EXPECT_NE(r.skipped[0].reason.find("not a multiple of the ratio 3"), std::string::npos) << r.skipped[0].reason;
  const TensorMap inputs = inputs_for(g, 2);
  EXPECT_EQ(run_on("ref", r.graph, inputs).at("c1").shape(), (Shape{2, 6, 8, 8}));
}

TEST(GhostConversion, RefusesAModelWithNothingEligibleNamingIt) {
  Graph g = ghost_case();
  g.nodes.erase(g.nodes.begin(), g.nodes.begin() + 2);  // keep conv2 (from x now), conv3, grouped
  g.nodes[0].inputs[0] = "x";
  g.initializers["conv2.weight"] = random_tensor({2, 3, 1, 1}, 41);
  g.initializers["conv3.weight"] = random_tensor({2, 2, 1, 1}, 42);
  g.initializers.erase("conv1.weight");
  g.initializers.erase("conv1.bias");
  g.outputs.pop_back();
  try {
    convert_to_ghost(g);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("model 'ghost_case'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("nothing to convert"), std::string::npos) << msg;
  }
  EXPECT_THROW(convert_to_ghost(ghost_case(), {.ratio = 1}), Error);
}

// The zoo's ResNet-50 converted: every convolution is eligible, the result is about half the size,
// and it computes outputs of the same shapes. At an eighth of the width the stem's 2 maps are too few.
TEST(GhostConversion, ConvertsResNet50Gei) {
  const GhostResult eighth = convert_to_ghost(build_model("resnet50-gei", {.width_mult = 0.125}));
  ASSERT_EQ(eighth.skipped.size(), 1u);
  EXPECT_EQ(eighth.skipped[0].node, "stem/Conv");
  const Graph g = build_model("resnet50-gei", {.height = 32, .width = 32, .width_mult = 0.25, .seed = 2});
  const GhostResult r = convert_to_ghost(g);
  EXPECT_EQ(r.layers.size(), 53u);
  EXPECT_TRUE(r.skipped.empty());
  const double share = static_cast<double>(model_cost(r.graph).params) / model_cost(g).params;
  EXPECT_GT(share, 0.45);
  EXPECT_LT(share, 0.65);
  const TensorMap inputs = inputs_for(g, 2);
  const TensorMap a = run_on("ref", g, inputs), b = run_on("ref", r.graph, inputs);
  EXPECT_EQ(a.at("feature").shape(), b.at("feature").shape());
  EXPECT_EQ(a.at("probabilities").shape(), b.at("probabilities").shape());
}

}  // namespace
}  // namespace stride::testing
