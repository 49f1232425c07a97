// Feature-map comparison (compress/feature_map_compare.h) on a hand-made graph whose differences are
// worked out by hand.
#include "stride/compress/feature_map_compare.h"

#include <gtest/gtest.h>

#include "compress/conv3d_graphs.h"
#include "stride/compress/ghost_conversion.h"
#include "stride/core/error.h"
#include "stride/engine/ref/ref_backend.h"

namespace stride::testing {
namespace {

Attributes one_by_one() {
  Attributes a;
  a.set("kernel_shape", std::vector<int64_t>{1, 1});
  return a;
}

// x [N,1,2,2] → conv1 (1×1, weight 2) "c1" → Relu "r1" → conv2 (1×1, weight `w2`) "c2";
// Add(c2, c1) "z" (the output).
Graph chain(float w2) {
  Graph g;
  g.name = "chain";
  g.inputs.push_back({"x", DType::f32, {-1, 1, 2, 2}});
  g.initializers["w1"] = Tensor::from_vector<float>({1, 1, 1, 1}, {2});
  g.initializers["w2"] = Tensor::from_vector<float>({1, 1, 1, 1}, {w2});
  g.nodes.push_back({"conv1", "Conv", {"x", "w1"}, {"c1"}, one_by_one()});
  g.nodes.push_back({"relu", "Relu", {"c1"}, {"r1"}, {}});
  g.nodes.push_back({"conv2", "Conv", {"r1", "w2"}, {"c2"}, one_by_one()});
  g.nodes.push_back({"add", "Add", {"c2", "c1"}, {"z"}, {}});
  g.outputs.push_back({"z", DType::f32, {-1, 1, 2, 2}});
  return g;
}

// Two batches: x = [1, −1, 2, 0.5] and [−3, 1.5, 0, 1].
std::vector<TensorMap> batches() {
  return {{{"x", Tensor::from_vector<float>({1, 1, 2, 2}, {1, -1, 2, 0.5f})}},
          {{"x", Tensor::from_vector<float>({1, 1, 2, 2}, {-3, 1.5f, 0, 1})}}};
}

const FeatureMapDifference& layer(const FeatureMapComparison& c, const std::string& value) {
  for (const FeatureMapDifference& d : c.layers)
    if (d.value == value) return d;
  throw std::runtime_error("no layer " + value);
}

TEST(FeatureMapCompare, AModelAgainstItselfDiffersNowhere) {
  const Graph g = chain(3);
  const FeatureMapComparison c = compare_feature_maps(g, g, batches(), RefBackend());
  ASSERT_EQ(c.layers.size(), 4u);
  EXPECT_EQ(c.samples, 2);
  EXPECT_EQ(c.unmatched, 0);
  for (const FeatureMapDifference& d : c.layers) {
    EXPECT_EQ(d.mse, 0.0) << d.value;
    EXPECT_EQ(d.max_abs, 0.0) << d.value;
  }
  EXPECT_EQ(c.layers[0].value, "c1");
  EXPECT_EQ(c.layers[0].op_type, "Conv");
  EXPECT_EQ(c.layers[0].shape, (Shape{1, 1, 2, 2}));
  // c1 = 2x: (4 + 4 + 16 + 1 + 36 + 9 + 0 + 4) / 8.
  EXPECT_DOUBLE_EQ(c.layers[0].mean_square, 74.0 / 8);
}

// conv2's weight 3 → 3.5: c1 and r1 are untouched; c2 and z (its successor) both move by 0.5 · r1,
// r1 = relu(2x) = [2, 0, 4, 1] and [0, 3, 0, 2]: MSE = 0.25 · (4 + 0 + 16 + 1 + 0 + 9 + 0 + 4) / 8.
TEST(FeatureMapCompare, OneWeightChangedMovesItsLayerAndItsSuccessorsOnly) {
  const FeatureMapComparison c = compare_feature_maps(chain(3), chain(3.5f), batches(), RefBackend());
  EXPECT_EQ(layer(c, "c1").mse, 0.0);
  EXPECT_EQ(layer(c, "r1").mse, 0.0);
  const double expected = 0.25 * 34.0 / 8;
  EXPECT_NEAR(layer(c, "c2").mse, expected, 1e-12);
  EXPECT_NEAR(layer(c, "z").mse, expected, 1e-12);
  EXPECT_DOUBLE_EQ(layer(c, "c2").max_abs, 2.0);  // 0.5 · 4
  const auto convs = first_convolutions(c);
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(convs[0]->value, "c1");
  EXPECT_EQ(convs[1]->value, "c2");
}

// Values match by name and shape: a value of another shape is left out, and models without a shared
// value, or with other inputs, are refused.
TEST(FeatureMapCompare, MatchesByNameAndShape) {
  Graph other = chain(3);
  other.initializers["w2"] = Tensor::from_vector<float>({2, 1, 1, 1}, {3, 3});  // c2: 2 channels
  other.nodes.pop_back();
  other.outputs = {{"c2", DType::f32, {-1, 2, 2, 2}}};
  const FeatureMapComparison c = compare_feature_maps(chain(3), other, batches(), RefBackend());
  ASSERT_EQ(c.layers.size(), 2u);  // c1, r1
  EXPECT_EQ(c.unmatched, 2);       // c2 (shape), z (absent)

  Graph renamed = chain(3);
  for (Node& n : renamed.nodes)
    for (std::string& out : n.outputs) out += "_other";
  for (Node& n : renamed.nodes)
    for (std::string& in : n.inputs)
      if (in != "x" && !renamed.is_initializer(in)) in += "_other";
  renamed.outputs[0].name = "z_other";
  EXPECT_THROW(compare_feature_maps(chain(3), renamed, batches(), RefBackend()), Error);

  // A single-input model whose input has another name takes the same inputs.
  Graph input_renamed = chain(3);
  input_renamed.inputs[0].name = "gei";
  input_renamed.nodes[0].inputs[0] = "gei";
  EXPECT_EQ(compare_feature_maps(chain(3), input_renamed, batches(), RefBackend()).layers.size(), 4u);
}

// A Ghost conversion keeps every convolution's output name, so its modules are compared with them.
TEST(FeatureMapCompare, MatchesGhostModulesWithTheirConvolutions) {
  const Graph g = build_model("resnet50-gei", {.classes = 3, .height = 16, .width = 16, .width_mult = 0.25});
  const Graph ghost = convert_to_ghost(g).graph;
  const TensorMap inputs = inputs_for(g, 2);
  const FeatureMapComparison c = compare_feature_maps(g, ghost, {inputs}, RefBackend());
  EXPECT_EQ(c.unmatched, 0);
  const auto convs = first_convolutions(c, 100);
  EXPECT_EQ(convs.size(), 53u);
  EXPECT_EQ(convs[0]->value, "stem/Conv");
  EXPECT_GT(convs[0]->mse, 0.0);
  // Against itself, every Ghost module's maps are equal.
  for (const FeatureMapDifference& d : compare_feature_maps(ghost, ghost, {inputs}, RefBackend()).layers)
    EXPECT_EQ(d.mse, 0.0) << d.value;
}

}  // namespace
}  // namespace stride::testing
