// resnet50-gei and l-resnet50-gei (Wang and Yuan): ResNet-50 on one gait energy image, and the
// same network with every convolution a Ghost module.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "layer_table.h"
#include "zoo_test_support.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/cost.h"
#include "stride/zoo/rng.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

// The counts of both models, by hand, at a square GEI of `side` and `classes` subjects: every
// convolution with a bias; a Ghost module of m maps from c inputs with a k×k kernel has a primary
// conv of m/2 maps (m/2·c·k² + m/2) and a depthwise 3×3 of m/2 maps (m/2·9 + m/2). Stem 5×5, 16 maps,
// stride 1, then a 2×2 pool; stages (blocks, width, stride) 3×64/1, 4×128/2, 6×256/2, 3×512/2,
// each block 1×1 → 3×3 (stride) → 1×1 (4·width), a 1×1 projection where the shape changes.
struct Counts {
  int64_t params = 0;
  int64_t macs = 0;
};
Counts by_hand(bool ghost, int64_t side, int64_t classes) {
  Counts n;
  const auto conv = [&](int64_t in, int64_t out, int64_t k, int64_t h) {
    if (ghost) {
      const int64_t p = out / 2;
      n.params += p * in * k * k + p + p * 9 + p;
      n.macs += h * h * (p * in * k * k + p * 9);
    } else {
      n.params += out * in * k * k + out;
      n.macs += h * h * out * in * k * k;
    }
  };
  int64_t h = side;
  conv(1, 16, 5, h);
  h /= 2;
  int64_t in = 16;
  const int64_t stages[4][3] = {{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}};
  for (const auto& [blocks, width, stride] : stages)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t s = b == 0 ? stride : 1, out_h = (h + s - 1) / s;
      conv(in, width, 1, h);
      conv(width, width, 3, out_h);
      conv(width, 4 * width, 1, out_h);
      if (s != 1 || in != 4 * width) conv(in, 4 * width, 1, out_h);
      in = 4 * width, h = out_h;
    }
  n.params += 2048 * classes + classes;
  n.macs += 2048 * classes;
  return n;
}

TEST(ResNetGei, CountsAtWidthOneAreTheHandCountsAndTheGhostVersionHasHalf) {
  const Graph plain = build_model("resnet50-gei");
  const Graph ghost = build_model("l-resnet50-gei");
  const ModelCost a = model_cost(plain), b = model_cost(ghost);
  const Counts ha = by_hand(false, 64, 124), hb = by_hand(true, 64, 124);
  EXPECT_EQ(a.params, ha.params);
  EXPECT_EQ(a.macs, ha.macs);
  EXPECT_EQ(b.params, hb.params);
  EXPECT_EQ(b.macs, hb.macs);
  // The figures docs/compress.md reports (the paper's ImageNet ResNet-50: 25.6 M → 13.0 M parameters,
  // 4.1 → 2.2 G multiply-accumulates, which it calls FLOPs).
  EXPECT_EQ(a.params, 23'711'132);
  EXPECT_EQ(b.params, 12'115'164);
  EXPECT_EQ(a.macs, 1'282'203'648);
  EXPECT_EQ(b.macs, 656'674'816);
  EXPECT_EQ(zoo_test::float_parameters(plain), a.params);
  // Done-when of the issue: 45–55 % of the parameters and of the FLOPs.
  const double params = static_cast<double>(b.params) / a.params, flops = static_cast<double>(b.flops()) / a.flops();
  EXPECT_GE(params, 0.45);
  EXPECT_LE(params, 0.55);
  EXPECT_GE(flops, 0.45);
  EXPECT_LE(flops, 0.55);
}

TEST(ResNetGei, WidthMultiplierScalesBothModelsAlike) {
  for (double w : {0.25, 0.125}) {
    SCOPED_TRACE(w);
    ZooOptions o;
    o.width_mult = w;
    const ModelCost a = model_cost(build_model("resnet50-gei", o)), b = model_cost(build_model("l-resnet50-gei", o));
    const double params = static_cast<double>(b.params) / a.params, flops = static_cast<double>(b.flops()) / a.flops();
    // The classifier (not scaled) and the cheap convs weigh more in a narrow model; still about half.
    EXPECT_GT(params, 0.45);
    EXPECT_LT(params, 0.65);
    EXPECT_GT(flops, 0.45);
    EXPECT_LT(flops, 0.6);
  }
  ZooOptions quarter;
  quarter.width_mult = 0.25;
  const Graph plain = build_model("resnet50-gei", quarter);
  const Graph ghost = build_model("l-resnet50-gei", quarter);
  EXPECT_EQ(plain.initializers.at("stem/Conv.weight").shape(), (Shape{4, 1, 5, 5}));
  EXPECT_EQ(plain.initializers.at("layer4.2/conv3/Conv.weight").shape(), (Shape{512, 128, 1, 1}));
  EXPECT_EQ(ghost.initializers.at("stem/Conv/ghost_primary.weight").shape(), (Shape{2, 1, 5, 5}));
  EXPECT_EQ(ghost.initializers.at("stem/Conv/ghost_cheap.weight").shape(), (Shape{2, 1, 3, 3}));
  EXPECT_EQ(plain.outputs[0].shape, (Shape{-1, 512}));
  EXPECT_EQ(plain.outputs[1].shape, (Shape{-1, 124}));
  // Channel counts stay even, so that every Ghost module halves: 16 × 0.1 = 1.6 → 2, 64 × 0.1 → 6.
  ZooOptions tenth;
  tenth.width_mult = 0.1;
  const Graph narrow = build_model("l-resnet50-gei", tenth);
  EXPECT_EQ(narrow.initializers.at("stem/Conv/ghost_primary.weight").dim(0), 1);
  EXPECT_EQ(narrow.initializers.at("layer1.0/conv1/Conv/ghost_primary.weight").dim(0), 3);
  EXPECT_EQ(narrow.outputs[0].shape, (Shape{-1, 208}));  // 4 × 52 maps: 512 × 0.1 = 51.2 → 52
}

// The 5×5 stem of 16 maps: 8 by the primary convolution, 8 by the cheap depthwise one, then Concat.
TEST(ResNetGei, EveryGhostModuleIsPrimaryCheapConcatUnderTheConvsName) {
  const Graph plain = build_model("resnet50-gei");
  const Graph ghost = build_model("l-resnet50-gei");
  EXPECT_EQ(ghost.initializers.at("stem/Conv/ghost_primary.weight").shape(), (Shape{8, 1, 5, 5}));
  const Node& cheap = node_named(ghost, "stem/Conv/ghost_cheap");
  EXPECT_EQ(cheap.attrs.get_int("group"), 8);
  EXPECT_EQ(ghost.initializers.at(cheap.inputs[1]).shape(), (Shape{8, 1, 3, 3}));
  const Node& concat = node_named(ghost, "stem/Conv/ghost_concat");
  EXPECT_EQ(concat.op_type, "Concat");
  EXPECT_EQ(concat.inputs, (std::vector<std::string>{"stem/Conv/ghost_primary", "stem/Conv/ghost_cheap"}));
  EXPECT_EQ(concat.outputs, (std::vector<std::string>{"stem/Conv"}));

  // Each plain convolution's output value is a Ghost module's output of the same shape in the light
  // model (what `stride compare` matches), and every light Conv belongs to a module.
  const GraphShapes sa = infer_shapes(plain), sb = infer_shapes(ghost);
  int convs = 0;
  for (const Node& n : plain.nodes) {
    if (n.op_type != "Conv") continue;
    ++convs;
    const Node* module = ghost.producer(n.outputs[0]);
    ASSERT_NE(module, nullptr) << n.name;
    EXPECT_EQ(module->op_type, "Concat") << n.name;
    EXPECT_EQ(sa.at(n.outputs[0]).shape, sb.at(n.outputs[0]).shape) << n.name;
  }
  EXPECT_EQ(convs, 1 + 16 * 3 + 4);  // stem, 16 bottlenecks, 4 projections
  int ghost_convs = 0;
  for (const Node& n : ghost.nodes)
    if (n.op_type == "Conv") {
      ++ghost_convs;
      EXPECT_TRUE(n.name.ends_with("/ghost_primary") || n.name.ends_with("/ghost_cheap")) << n.name;
    }
  EXPECT_EQ(ghost_convs, 2 * convs);
  EXPECT_EQ(ghost.metadata.at("stride.ghost.ratio"), "2");
}

TEST(ResNetGei, TakesOneGaitEnergyImage) {
  ZooOptions o;
  o.width_mult = 0.125;
  const Graph g = build_model("l-resnet50-gei", o);
  EXPECT_EQ(g.inputs, (std::vector<ValueInfo>{{"gei", DType::f32, {-1, 1, 64, 64}}}));
  EXPECT_EQ(g.metadata.at("stride.input_kind"), "gait_energy");
  EXPECT_EQ(g.metadata.at("stride.classes"), "124");
  o.frames = 30;
  const std::string msg = error_of([&] { build_model("resnet50-gei", o); });
  EXPECT_NE(msg.find("frames"), std::string::npos) << msg;
  o.frames = 1;
  o.height = 88;
  o.width = 64;
  EXPECT_EQ(build_model("resnet50-gei", o).inputs[0].shape, (Shape{-1, 1, 88, 64}));
}

// Both run on the reference engine at a small width and give finite features and probabilities.
TEST(ResNetGei, RunsOnTheReferenceEngine) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.height = 32;
  o.width = 32;
  o.classes = 5;
  o.seed = 3;
  Tensor x(DType::f32, {2, 1, 32, 32});
  zoo::Rng rng(9);
  for (float& v : x.values<float>()) v = rng.uniform01();
  for (const char* model : {"resnet50-gei", "l-resnet50-gei"}) {
    SCOPED_TRACE(model);
    const TensorMap out = RefBackend().compile(build_model(model, o), {})->run({{"gei", x}});
    EXPECT_EQ(out.at("feature").shape(), (Shape{2, 256}));
    const Tensor& p = out.at("probabilities");
    ASSERT_EQ(p.shape(), (Shape{2, 5}));
    double sum = 0;
    for (float v : p.values<float>()) {
      EXPECT_TRUE(std::isfinite(v));
      sum += v;
    }
    EXPECT_NEAR(sum, 2.0, 1e-4);
  }
}

}  // namespace
}  // namespace stride
