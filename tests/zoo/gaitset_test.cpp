#include <gtest/gtest.h>

#include <algorithm>

#include "layer_table.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/zoo/rng.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

// Batch 1 at the paper's size: 30 silhouettes of 64×44. `same` 3×3 / 5×5 convolutions without
// bias; 2×2 pools: 64×44 → 32×22 → 16×11. The main pipeline runs on all 30 frames, the MGP on one
// set-pooled map per sample.
TEST(GaitSet, LayerCostsAtThePapersSize) {
  const Graph g = build_model("gaitset");
  const ModelCost c = model_cost(g);
  zoo_test::expect_layer_table(
      c, {
             {"set_layer1/Conv", {30, 32, 64, 44}, 1 * 32 * 25, int64_t{30} * 32 * 64 * 44 * 1 * 25},
             {"set_layer2/Conv", {30, 32, 64, 44}, 32 * 32 * 9, int64_t{30} * 32 * 64 * 44 * 32 * 9},
             {"gl_layer1/Conv", {1, 64, 32, 22}, 32 * 64 * 9, int64_t{64} * 32 * 22 * 32 * 9},
             {"gl_layer2/Conv", {1, 64, 32, 22}, 64 * 64 * 9, int64_t{64} * 32 * 22 * 64 * 9},
             {"set_layer3/Conv", {30, 64, 32, 22}, 32 * 64 * 9, int64_t{30} * 64 * 32 * 22 * 32 * 9},
             {"set_layer4/Conv", {30, 64, 32, 22}, 64 * 64 * 9, int64_t{30} * 64 * 32 * 22 * 64 * 9},
             {"gl_layer3/Conv", {1, 128, 16, 11}, 64 * 128 * 9, int64_t{128} * 16 * 11 * 64 * 9},
             {"gl_layer4/Conv", {1, 128, 16, 11}, 128 * 128 * 9, int64_t{128} * 16 * 11 * 128 * 9},
             {"set_layer5/Conv", {30, 128, 16, 11}, 64 * 128 * 9, int64_t{30} * 128 * 16 * 11 * 64 * 9},
             {"set_layer6/Conv", {30, 128, 16, 11}, 128 * 128 * 9, int64_t{30} * 128 * 16 * 11 * 128 * 9},
             // HPM: 62 parts, each a 128 → 256 FC.
             {"hpm/MatMul", {62, 1, 256}, 62 * 128 * 256, 62 * 128 * 256},
         });
  EXPECT_EQ(zoo_test::layer_shape(c, "set_pooling1/MaxPool"), (Shape{30, 32, 32, 22}));
  EXPECT_EQ(zoo_test::layer_shape(c, "set_pool1/ReduceMax"), (Shape{1, 32, 32, 22}));
  EXPECT_EQ(zoo_test::layer_shape(c, "set_pool3/ReduceMax"), (Shape{1, 128, 16, 11}));
  // 2 branches × (1 + 2 + 4 + 8 + 16) strips.
  EXPECT_EQ(zoo_test::layer_shape(c, "hpp/Concat"), (Shape{1, 128, 62}));
  EXPECT_EQ(zoo_test::layer_shape(c, "hpm/Transpose_2"), (Shape{1, 62, 256}));

  // Conv weights 562,976 + HPM 2,031,616: Table 2's 2.59 M exactly.
  EXPECT_EQ(c.params, 2'594'592);
  EXPECT_EQ(zoo_test::float_parameters(g), 2'594'592);
  // 67,584,000 + 778,567,680 + 12,976,128 + 25,952,256 + 389,283,840 + 778,567,680 + 12,976,128
  // + 25,952,256 + 389,283,840 + 778,567,680 + 2,031,616.
  EXPECT_EQ(c.macs, 3'261'743'104);
  // Table 2 of Ruiz-Barroso et al. 2022: 6.53 GFLOP (this graph: 6.52).
  EXPECT_NEAR(static_cast<double>(c.flops()) / 1e9, paper_table2("gaitset")->gflop, 0.015);
  EXPECT_NEAR(paper_table2("gaitset")->params_millions * 1e6, 2'594'592, 5e3);
}

TEST(GaitSet, HasNoClassifierByDefaultAndNoConvolutionBias) {
  const Graph g = build_model("gaitset");
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.outputs[0].name, "feature");
  EXPECT_EQ(g.outputs[0].shape, (Shape{-1, 62, 256}));
  for (const Node& n : g.nodes) {
    if (n.op_type == "Conv") {
      EXPECT_EQ(n.inputs.size(), 2u) << n.name;
    }
    if (n.op_type == "LeakyRelu") {
      EXPECT_FLOAT_EQ(n.attrs.get_float("alpha"), 0.01f) << n.name;
    }
  }
}

Tensor random_silhouettes(Shape shape, uint64_t seed) {
  Tensor t(DType::f32, std::move(shape));
  zoo::Rng rng(seed);
  for (float& v : t.values<float>()) v = rng.uniform01() < 0.5 ? 0.0f : 1.0f;
  return t;
}

// Set pooling makes GaitSet a function of the set of frames: reordering a sample's frames must
// not change its feature, while changing one frame must.
TEST(GaitSet, FeatureIgnoresTheOrderOfFrames) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.height = 16;
  o.width = 16;
  o.frames = 5;
  o.seed = 11;
  auto plan = RefBackend().compile(build_model("gaitset", o), {});
  const Tensor x = random_silhouettes({2, 5, 16, 16}, 3);
  const Tensor feature = plan->run({{"silhouettes", x}}).at("feature");
  EXPECT_EQ(feature.shape(), (Shape{2, 62, 32}));

  // Frames of sample 1 in the order 3, 0, 4, 1, 2.
  Tensor shuffled = x;
  const size_t frame = 16 * 16;
  const auto src = x.values<float>();
  auto dst = shuffled.values<float>();
  const int order[5] = {3, 0, 4, 1, 2};
  for (int f = 0; f < 5; ++f)
    std::copy_n(src.begin() + static_cast<long>((5 + order[f]) * frame), frame,
                dst.begin() + static_cast<long>((5 + f) * frame));
  EXPECT_EQ(plan->run({{"silhouettes", shuffled}}).at("feature"), feature);

  Tensor changed = x;
  for (size_t i = 5 * frame; i < 6 * frame; ++i) changed.values<float>()[i] = 1.0f - src[i];
  EXPECT_NE(plan->run({{"silhouettes", changed}}).at("feature"), feature);
}

}  // namespace
}  // namespace stride
