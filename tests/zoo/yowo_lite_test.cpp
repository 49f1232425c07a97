// yowo-lite: its layers' shapes, parameters and MACs written out by hand at the default size (a
// clip of 16 silhouettes of 64×44), the backbones' name prefixes that --stage patterns target, its
// grouped 3-D convolutions, and a run on ref.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "layer_table.h"
#include "stride/engine/inputs.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

// Biased convolutions: k·c_in/g·c_out + c_out parameters, k·c_in/g MACs per output element.
zoo_test::ExpectedLayer conv(const std::string& node, Shape out, int64_t in_per_group, int64_t taps) {
  const int64_t filters = out[1];
  const int64_t positions = std::accumulate(out.begin() + 2, out.end(), int64_t{1}, std::multiplies<>());
  return {node, out, taps * in_per_group * filters + filters, positions * filters * in_per_group * taps};
}

TEST(YowoLite, LayerCostsAtTheDefaultSize) {
  const Graph g = build_model("yowo-lite", {.batch = 1});
  EXPECT_EQ(g.inputs.at(0).shape, (Shape{1, 16, 64, 44}));
  const ModelCost c = model_cost(g);
  // 2-D: 64×44 → pool 32×22 → pool 16×11 → pool 8×5, 3×3 `same` except conv4 (1×1).
  // 3-D: stem (3,5,5) stride (1,2,2) → 16×32×22, pool (1,2,2) → 16×16×11; block2 strides 2 → 8×8×6.
  zoo_test::expect_layer_table(c, {
                                      conv("backbone2d/conv1/Conv", {1, 32, 64, 44}, 1, 9),
                                      conv("backbone2d/conv2/Conv", {1, 64, 32, 22}, 32, 9),
                                      conv("backbone2d/conv3/Conv", {1, 128, 16, 11}, 64, 9),
                                      conv("backbone2d/conv4/Conv", {1, 64, 16, 11}, 128, 1),
                                      conv("backbone2d/conv5/Conv", {1, 128, 16, 11}, 64, 9),
                                      conv("backbone2d/conv6/Conv", {1, 256, 8, 5}, 128, 9),
                                      conv("backbone3d/stem/Conv", {1, 32, 16, 32, 22}, 1, 75),
                                      conv("backbone3d/block1/reduce/Conv", {1, 64, 16, 16, 11}, 32, 1),
                                      conv("backbone3d/block1/grouped/Conv", {1, 64, 16, 16, 11}, 64 / 8, 27),
                                      conv("backbone3d/block1/expand/Conv", {1, 64, 16, 16, 11}, 64, 1),
                                      conv("backbone3d/block1/shortcut/Conv", {1, 64, 16, 16, 11}, 32, 1),
                                      conv("backbone3d/block2/reduce/Conv", {1, 128, 16, 16, 11}, 64, 1),
                                      conv("backbone3d/block2/grouped/Conv", {1, 128, 8, 8, 6}, 128 / 8, 27),
                                      conv("backbone3d/block2/expand/Conv", {1, 128, 8, 8, 6}, 128, 1),
                                      conv("backbone3d/block2/shortcut/Conv", {1, 128, 8, 8, 6}, 64, 1),
                                      conv("backbone3d/block3/reduce/Conv", {1, 128, 8, 8, 6}, 128, 1),
                                      conv("backbone3d/block3/grouped/Conv", {1, 128, 8, 8, 6}, 128 / 8, 27),
                                      conv("backbone3d/block3/expand/Conv", {1, 128, 8, 8, 6}, 128, 1),
                                      {"fusion/Gemm", {1, 256}, (256 + 128) * 256 + 256, (256 + 128) * 256},
                                      {"classifier/Gemm", {1, 74}, 256 * 74 + 74, 256 * 74},
                                  });
  EXPECT_EQ(zoo_test::layer_shape(c, "fusion/Concat"), (Shape{1, 384}));
}

TEST(YowoLite, EveryConvolutionIsInOneOfTheTwoBackbonesAndTheGroupedOnesHaveEightGroups) {
  const Graph g = build_model("yowo-lite", {.width_mult = 0.25});
  int grouped = 0, convolutions = 0;
  for (const Node& n : g.nodes) {
    if (n.op_type != "Conv") continue;
    ++convolutions;
    const bool is_3d = g.initializers.at(n.inputs[1]).rank() == 5;
    EXPECT_TRUE(n.name.starts_with(is_3d ? "backbone3d/" : "backbone2d/")) << n.name;
    if (n.attrs.get_int("group", 1) > 1) {
      ++grouped;
      EXPECT_EQ(n.attrs.get_int("group", 1), 8) << n.name;
      EXPECT_TRUE(n.name.ends_with("/grouped/Conv")) << n.name;
      EXPECT_GT(g.initializers.at(n.inputs[1]).dim(1), 1) << n.name;  // grouped, not depthwise
    }
  }
  EXPECT_EQ(convolutions, 6 + 12);
  EXPECT_EQ(grouped, 3);
}

TEST(YowoLite, AWidthThatEightGroupsCannotShareIsRoundedUp) {
  // 64 · 0.1 = 6 channels for block1's grouped convolution: rounded up to 8, one per group.
  const Graph g = build_model("yowo-lite", {.width_mult = 0.1});
  for (const Node& n : g.nodes)
    if (n.name == "backbone3d/block1/grouped/Conv") {
      EXPECT_EQ(g.initializers.at(n.inputs[1]).shape(), (Shape{8, 1, 3, 3, 3}));
    }
}

TEST(YowoLite, RunsOnRefGivingADistributionOverTheSubjects) {
  const Graph g = build_model("yowo-lite", {.classes = 5, .frames = 4, .width_mult = 0.25, .seed = 2});
  const auto shapes = input_shapes_at_batch(g, 2);
  const TensorMap out =
      RefBackend().compile(g, {.threads = 0, .input_shapes = shapes})->run(random_inputs(g, shapes, 3));
  const Tensor& p = out.at("probabilities");
  ASSERT_EQ(p.shape(), (Shape{2, 5}));
  for (int64_t row = 0; row < 2; ++row) {
    double sum = 0;
    for (int64_t c = 0; c < 5; ++c) sum += p.values<float>()[row * 5 + c];
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
  EXPECT_EQ(out.at("feature").shape(), (Shape{2, 64}));
}

}  // namespace
}  // namespace stride
