#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "layer_table.h"
#include "zoo_test_support.h"
#include "stride/ir/shape_inference.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

const std::vector<std::string> kModels = {"cnn2d",        "cnn3d",        "cnn3dto2d", "gaitset",
                                          "har-cnn",      "har-lstm",     "har-cnn-lstm", "yowo-lite",
                                          "resnet50-gei", "l-resnet50-gei"};

TEST(Zoo, ListsEveryModelWithADescription) {
  const auto list = zoo_list();
  std::vector<std::string> names;
  for (const auto& e : list) {
    names.push_back(e.name);
    EXPECT_FALSE(e.description.empty()) << e.name;
  }
  EXPECT_EQ(names, kModels);
}

TEST(Zoo, UnknownModelErrorNamesTheKnownOnes) {
  const std::string msg = error_of([] { build_model("resnet9000"); });
  EXPECT_NE(msg.find("resnet9000"), std::string::npos) << msg;
  for (const auto& m : kModels) EXPECT_NE(msg.find(m), std::string::npos) << msg;
}

TEST(Zoo, Table2RowsAreThePapers) {
  const auto cnn2d = paper_table2("cnn2d");
  ASSERT_TRUE(cnn2d);
  EXPECT_EQ(cnn2d->layers, 11);
  EXPECT_DOUBLE_EQ(cnn2d->params_millions, 6.83);
  EXPECT_DOUBLE_EQ(cnn2d->activations_millions, 0.68);
  EXPECT_DOUBLE_EQ(cnn2d->gflop, 2.03);
  const auto cnn3d = paper_table2("cnn3d");
  ASSERT_TRUE(cnn3d);
  EXPECT_EQ(cnn3d->layers, 8);
  EXPECT_DOUBLE_EQ(cnn3d->params_millions, 9.90);
  EXPECT_DOUBLE_EQ(cnn3d->activations_millions, 1.86);
  EXPECT_DOUBLE_EQ(cnn3d->gflop, 2.69);
  const auto gaitset = paper_table2("gaitset");
  ASSERT_TRUE(gaitset);
  EXPECT_EQ(gaitset->layers, 30);
  EXPECT_DOUBLE_EQ(gaitset->params_millions, 2.59);
  EXPECT_DOUBLE_EQ(gaitset->activations_millions, 17.69);
  EXPECT_DOUBLE_EQ(gaitset->gflop, 6.53);
  EXPECT_FALSE(paper_table2("cnn3dto2d"));
  EXPECT_FALSE(paper_table2("nope"));
}

TEST(Zoo, MetadataRecordsStrideFacts) {
  ZooOptions o;
  o.seed = 77;
  o.width_mult = 0.25;
  const Graph flow = build_model("cnn3d", o);
  EXPECT_EQ(flow.metadata.at("stride.model"), "cnn3d");
  EXPECT_EQ(flow.metadata.at("stride.input_kind"), "optical_flow");
  EXPECT_EQ(flow.metadata.at("stride.feature_output"), "feature");
  EXPECT_EQ(flow.metadata.at("stride.classes"), "150");
  EXPECT_EQ(flow.metadata.at("stride.seed"), "77");
  const Graph sil = build_model("gaitset");
  EXPECT_EQ(sil.metadata.at("stride.input_kind"), "silhouettes");
  EXPECT_EQ(sil.metadata.at("stride.classes"), "0");
}

TEST(Zoo, InputsAreThePapers) {
  ZooOptions narrow;  // the width multiplier leaves inputs alone and keeps the test quick
  narrow.width_mult = 0.25;
  auto input_of = [&](const char* model) { return build_model(model, narrow).inputs; };
  EXPECT_EQ(input_of("cnn2d"), (std::vector<ValueInfo>{{"flow", DType::f32, {-1, 50, 60, 60}}}));
  EXPECT_EQ(input_of("cnn3d"), (std::vector<ValueInfo>{{"flow", DType::f32, {-1, 2, 25, 60, 60}}}));
  EXPECT_EQ(input_of("cnn3dto2d"), (std::vector<ValueInfo>{{"flow", DType::f32, {-1, 2, 25, 60, 60}}}));
  EXPECT_EQ(input_of("gaitset"), (std::vector<ValueInfo>{{"silhouettes", DType::f32, {-1, 30, 64, 44}}}));
}

TEST(Zoo, SameSeedGivesIdenticalWeightsAnotherSeedOthers) {
  for (const auto& name : kModels) {
    ZooOptions a;
    a.seed = 5;
    a.width_mult = 0.25;
    ZooOptions b = a;
    b.seed = 6;
    const Graph g1 = build_model(name, a);
    EXPECT_EQ(g1, build_model(name, a)) << name;
    const Graph g2 = build_model(name, b);
    EXPECT_EQ(g1.nodes, g2.nodes) << name;
    int differing = 0;
    for (const auto& [key, w] : g1.initializers) {
      const bool is_weight = key.ends_with(".weight") || key.ends_with(".fc_bin");
      if (is_weight) {
        differing += w != g2.initializers.at(key);
      } else {
        EXPECT_EQ(w, g2.initializers.at(key)) << name << " " << key;  // zero biases, reshape targets
      }
    }
    int weights = 0;
    for (const auto& [key, w] : g1.initializers) weights += key.ends_with(".weight") || key.ends_with(".fc_bin");
    EXPECT_EQ(differing, weights) << name;
  }
}

TEST(Zoo, WidthMultiplierScalesEveryChannelCountButTheInputAndClasses) {
  ZooOptions o;
  o.width_mult = 0.25;
  const Graph g = build_model("cnn2d", o);
  EXPECT_EQ(g.initializers.at("conv1/Conv.weight").shape(), (Shape{24, 50, 7, 7}));
  EXPECT_EQ(g.initializers.at("conv4/Conv.weight").shape(), (Shape{128, 128, 2, 2}));
  EXPECT_EQ(g.initializers.at("dense/Gemm.weight").shape(), (Shape{512, 128}));
  EXPECT_EQ(g.initializers.at("code/Gemm.weight").shape(), (Shape{256, 512}));
  EXPECT_EQ(g.initializers.at("classifier/Gemm.weight").shape(), (Shape{150, 256}));
  EXPECT_EQ(g.outputs[0].shape, (Shape{-1, 256}));

  const Graph gs = build_model("gaitset", o);
  EXPECT_EQ(gs.initializers.at("set_layer1/Conv.weight").shape(), (Shape{8, 1, 5, 5}));
  EXPECT_EQ(gs.initializers.at("hpm.fc_bin").shape(), (Shape{62, 32, 64}));
  EXPECT_EQ(gs.outputs[0].shape, (Shape{-1, 62, 64}));

  // At least one channel, however small the multiplier.
  o.width_mult = 1e-6;
  const Graph tiny = build_model("cnn3d", o);
  EXPECT_EQ(tiny.initializers.at("conv1/Conv.weight").shape(), (Shape{1, 2, 3, 5, 5}));
  EXPECT_EQ(tiny.outputs[0].shape, (Shape{-1, 1}));
}

TEST(Zoo, ClassesOptionAddsOrRemovesTheSoftmaxHead) {
  for (const auto& name : kModels) {
    ZooOptions none;
    none.classes = 0;
    none.width_mult = 0.25;
    const Graph g0 = build_model(name, none);
    ASSERT_EQ(g0.outputs.size(), 1u) << name;
    EXPECT_EQ(g0.outputs[0].name, "feature");
    EXPECT_TRUE(std::none_of(g0.nodes.begin(), g0.nodes.end(), [](const Node& n) { return n.op_type == "Softmax"; }));

    ZooOptions seven;
    seven.classes = 7;
    seven.width_mult = 0.25;
    const Graph g7 = build_model(name, seven);
    ASSERT_EQ(g7.outputs.size(), 2u) << name;
    EXPECT_EQ(g7.outputs[1].name, "probabilities");
    EXPECT_EQ(g7.outputs[1].shape, (Shape{-1, 7}));
    EXPECT_EQ(node_named(g7, "classifier/Softmax").op_type, "Softmax");
    EXPECT_EQ(g7.metadata.at("stride.classes"), "7");
  }
  // The paper's defaults: softmax over 150 TUM-GAID subjects, KNN (no head) for GaitSet.
  ZooOptions defaults;
  defaults.width_mult = 0.25;
  EXPECT_EQ(build_model("cnn2d", defaults).outputs.at(1).shape, (Shape{-1, 150}));
  EXPECT_EQ(build_model("gaitset", defaults).outputs.size(), 1u);
}

// Declared shapes use -1 for the batch; inference at batch 3 must give exactly the declared
// shapes with the batch filled in, and every Reshape must leave the batch to be inferred (its one
// -1 stands for the batch, or for a dimension the batch is folded into: the HAR models reshape
// sequence-first [T, N, C] values).
TEST(Zoo, BatchIsDynamicThroughout) {
  for (const auto& name : kModels) {
    ZooOptions o;
    o.classes = 4;
    o.width_mult = 0.25;
    const Graph g = build_model(name, o);
    ASSERT_EQ(g.inputs.size(), 1u);
    Shape input = g.inputs[0].shape;
    ASSERT_EQ(input[0], -1) << name;
    input[0] = 3;
    const GraphShapes shapes = infer_shapes(g, {{g.inputs[0].name, input}});
    for (const ValueInfo& out : g.outputs) {
      Shape expected = out.shape;
      ASSERT_EQ(expected[0], -1) << name << " " << out.name;
      expected[0] = 3;
      EXPECT_EQ(shapes.at(out.name).shape, expected) << name << " " << out.name;
    }
    for (const Node& n : g.nodes) {
      if (n.op_type != "Reshape") continue;
      const auto target = g.initializers.at(n.inputs[1]).to_int64_vector();
      EXPECT_EQ(std::count(target.begin(), target.end(), -1), 1) << name << " " << n.name;
    }
  }
}

TEST(Zoo, FixedBatchIsDeclared) {
  ZooOptions o;
  o.batch = 4;
  const Graph g = build_model("gaitset", o);
  EXPECT_EQ(g.inputs[0].shape, (Shape{4, 30, 64, 44}));
  EXPECT_EQ(g.outputs[0].shape, (Shape{4, 62, 256}));
  EXPECT_EQ(infer_shapes(g).at("feature").shape, (Shape{4, 62, 256}));
}

TEST(Zoo, InputSizeAndFramesOptionsChangeTheInput) {
  ZooOptions o;
  o.height = 48;
  o.width = 64;
  o.frames = 10;
  EXPECT_EQ(build_model("cnn2d", o).inputs[0].shape, (Shape{-1, 20, 48, 64}));
  // The smallest clip cnn3d takes: 23 frames of 49×49. Per axis (valid convolutions):
  //   t: 23 → 21 → 19 → 9 → 4 → 2 → 1;   h, w: 49 → 23 → 11 → 5 → 2 → 1.
  o.height = 49;
  o.width = 49;
  o.frames = 23;
  for (const char* model : {"cnn3d", "cnn3dto2d"}) {
    const Graph g = build_model(model, o);
    EXPECT_EQ(g.inputs[0].shape, (Shape{-1, 2, 23, 49, 49})) << model;
    EXPECT_EQ(infer_shapes(g).at("feature").shape, (Shape{1, 1024})) << model;
  }
  o.frames = 22;
  EXPECT_NE(error_of([&] { build_model("cnn3d", o); }).find("layer 'conv6'"), std::string::npos);
  o.frames = 23;
  o.height = 48;
  EXPECT_NE(error_of([&] { build_model("cnn3dto2d", o); }).find("layer 'conv5'"), std::string::npos);
}

TEST(Zoo, BadOptionsAreRefusedNamingTheField) {
  auto refused = [](const std::string& model, ZooOptions o, const std::string& word) {
    const std::string msg = error_of([&] { build_model(model, o); });
    EXPECT_NE(msg.find(model), std::string::npos) << msg;
    EXPECT_NE(msg.find(word), std::string::npos) << msg;
  };
  ZooOptions o;
  o.width_mult = 0;
  refused("cnn2d", o, "width_mult");
  o = {};
  o.width_mult = 1e9;
  refused("cnn2d", o, "width_mult");
  o = {};
  o.classes = -1;
  refused("cnn3d", o, "classes");
  o = {};
  o.batch = 0;
  refused("gaitset", o, "batch");
  o = {};
  o.height = 0;
  refused("cnn3dto2d", o, "height");
  o = {};
  o.frames = 1'000'000;
  refused("gaitset", o, "frames");
  // 40×40 flow: conv3 gives 4×4, its pool 2×2, and conv4 (2×2) then 1×1, whose 2×2 pool does not fit.
  o = {};
  o.height = 40;
  o.width = 40;
  refused("cnn2d", o, "conv4 pool");
  // 60×44 silhouettes leave 15×11 maps: 165 values cannot be cut into 2 strips.
  o = {};
  o.height = 60;
  refused("gaitset", o, "strips");
}

}  // namespace
}  // namespace stride
