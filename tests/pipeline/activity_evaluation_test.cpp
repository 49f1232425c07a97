// Activity models through the pipeline: sensor windows from a UCI HAR-layout folder (the fixture
// tests/fixtures/uci_har_mini: train labels 1, 4, 6; test labels 5, 2), stacked into batches, and
// evaluated by a hand-made model whose prediction is known.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "stride/core/error.h"
#include "stride/pipeline/activity_evaluation.h"
#include "stride/pipeline/sensor_windows.h"
#include "stride/zoo/zoo.h"

namespace stride::pipeline {
namespace {

std::filesystem::path fixture() {
  const char* root = std::getenv("STRIDE_FIXTURES");
  return std::filesystem::path(root ? root : "tests/fixtures") / "uci_har_mini";
}

// Softmax(Gemm(mean over time of x, 0, b)): every window gets the probabilities softmax(b), so the
// prediction is the class whose bias is largest.
Graph constant_classifier(int64_t predicted_class) {
  Graph g;
  g.name = "constant";
  g.metadata["stride.input_kind"] = "imu";
  g.inputs = {{"imu", DType::f32, {-1, 9, 128}}};
  g.initializers["w"] = Tensor(DType::f32, {6, 9});
  Tensor bias(DType::f32, {6});
  bias.values<float>()[static_cast<size_t>(predicted_class)] = 5.0f;
  g.initializers["b"] = bias;
  Node mean{"mean", "ReduceMean", {"imu"}, {"m"}, {}};
  mean.attrs.set("axes", std::vector<int64_t>{2});
  mean.attrs.set("keepdims", int64_t{0});
  Node gemm{"gemm", "Gemm", {"m", "w", "b"}, {"logits"}, {}};
  gemm.attrs.set("transB", int64_t{1});
  g.nodes = {mean, gemm, {"softmax", "Softmax", {"logits"}, {"probabilities"}, {}}};
  g.outputs = {{"probabilities", DType::f32, {-1, 6}}};
  return g;
}

TEST(SensorWindows, LoadsASplitAsOneTensorPerWindow) {
  const ModelInput input = model_input_of(build_model("har-cnn"));
  EXPECT_EQ(input.kind, InputKind::imu);
  EXPECT_EQ(input.height, 9);
  EXPECT_EQ(input.frames, 128);
  const SensorWindows test = load_sensor_windows(fixture(), "test", input);
  ASSERT_EQ(test.windows.size(), 2u);
  EXPECT_EQ(test.windows[0].shape(), (Shape{9, 128}));
  EXPECT_EQ(test.labels, (std::vector<int>{4, 1}));  // 5 STANDING, 2 WALKING_UPSTAIRS, 0-based
  EXPECT_EQ(test.activity_names.at(4), "STANDING");

  const std::vector<const Tensor*> members = {&test.windows[1], &test.windows[0], &test.windows[1]};
  const Tensor batch = make_batch(members, input);
  ASSERT_EQ(batch.shape(), (Shape{3, 9, 128}));
  for (int64_t i = 0; i < 9 * 128; ++i) {
    EXPECT_EQ(batch.data<float>()[i], test.windows[1].data<float>()[i]);
    EXPECT_EQ(batch.data<float>()[9 * 128 + i], test.windows[0].data<float>()[i]);
  }
}

TEST(SensorWindows, RefusesModelsThatTakeOtherWindowsOrImages) {
  ZooOptions shorter;
  shorter.frames = 64;
  EXPECT_THROW(load_sensor_windows(fixture(), "test", model_input_of(build_model("har-cnn", shorter))), Error);
  EXPECT_THROW(load_sensor_windows(fixture(), "test", model_input_of(build_model("gaitset"))), Error);
}

TEST(ActivityEvaluation, CountsEachWindowUnderItsTrueAndPredictedActivity) {
  const SensorWindows test = load_sensor_windows(fixture(), "test", model_input_of(build_model("har-cnn")));
  // Class 4 without class names is activity 4 (STANDING): the first window is right, the second not.
  const ActivityEvaluation e = evaluate_activity_model(constant_classifier(4), test, {.backend = "ref", .batch = 4});
  EXPECT_EQ(e.windows, 2u);
  EXPECT_EQ(e.confusion.at(4).at(4), 1);
  EXPECT_EQ(e.confusion.at(1).at(4), 1);
  EXPECT_DOUBLE_EQ(e.accuracy(), 50.0);

  // Trained models name their classes: class 4 is the fifth name, here WALKING_UPSTAIRS.
  Graph named = constant_classifier(4);
  named.metadata["stride.class_names"] = "WALKING,SITTING,LAYING,STANDING,WALKING_UPSTAIRS,WALKING_DOWNSTAIRS";
  const ActivityEvaluation renamed = evaluate_activity_model(named, test, {.backend = "ref", .batch = 1});
  EXPECT_EQ(renamed.confusion.at(1).at(1), 1);
  EXPECT_EQ(renamed.confusion.at(4).at(1), 1);
  EXPECT_NE(confusion_text(renamed).find("2 WALKING_UPSTAIRS"), std::string::npos) << confusion_text(renamed);

  named.metadata["stride.class_names"] = "WALKING,SITTING,LAYING,STANDING,JOGGING,WALKING_DOWNSTAIRS";
  EXPECT_THROW(evaluate_activity_model(named, test, {.backend = "ref"}), Error);
}

}  // namespace
}  // namespace stride::pipeline
