#include "stride/pipeline/gait_evaluation.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/pipeline/batched_run.h"
#include "stride/zoo/zoo.h"
#include "support/data_test_support.h"

namespace stride::pipeline {
namespace {

using data::testing::expect_error_naming;
using data::testing::tiny_dataset;
using data::testing::tum_gaid_tiny_dataset;

const ModelInput kGaitSet{InputKind::silhouettes, 30, 64, 44, false};

TEST(GaitRecordings, SplitsTheTinySetLikeCasiaB) {
  const GaitRecordings r = GaitRecordings::open(tiny_dataset(), kGaitSet);
  EXPECT_EQ(r.size(), 160u);
  const eval::SubjectSplit split = r.split();
  // 74 of 124 subjects train: 8 × 74 / 124 = 4.8 → 5.
  EXPECT_EQ(split.train, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(split.test, (std::vector<int>{6, 7, 8}));
  EXPECT_EQ(r.rows_of(split.test, false).size(), 3u * 10 * 2);
  const std::vector<size_t> gallery = r.rows_of(split.test, true);
  EXPECT_EQ(gallery.size(), 3u * 4 * 2);  // NM#1-4 in both views
  for (size_t row : gallery) {
    EXPECT_EQ(r.samples()[row].condition, "nm");
    EXPECT_LE(r.samples()[row].sequence, 4);
  }
}

TEST(GaitRecordings, RefusesALayoutTheModelCannotRead) {
  const ModelInput flow{InputKind::optical_flow, 25, 60, 60, false};
  expect_error_naming([&] { GaitRecordings::open(tiny_dataset(), flow); }, tiny_dataset().string());
  expect_error_naming([&] { GaitRecordings::open(tum_gaid_tiny_dataset(), kGaitSet); }, "TUM-GAID");
}

TEST(GaitRecordings, LoadsAlignedClipsAndFlowWindows) {
  const GaitRecordings r = GaitRecordings::open(tiny_dataset(), kGaitSet);
  const std::vector<size_t> rows{0, 1};
  const auto clips = r.load(rows, 2, {});
  ASSERT_EQ(clips.size(), 2u);
  EXPECT_EQ(clips[0].dim(1), 64);
  EXPECT_EQ(clips[0].dim(2), 44);

  const ModelInput flow{InputKind::optical_flow, 3, 60, 60, false};
  const GaitRecordings t = GaitRecordings::open(tum_gaid_tiny_dataset(), flow);
  // 8 frames give 7 flow fields, from which windows of 3 start at fields 0 .. 4.
  const auto sequences = t.load(rows, 1, {});
  ASSERT_EQ(sequences[0].shape(), (Shape{14, 60, 60}));
  EXPECT_EQ(flow_windows_in(sequences[0].dim(0) / 2, flow), 5);
  const Tensor second = cut_sample(sequences[0], flow, nullptr, 1);
  ASSERT_EQ(second.shape(), (Shape{6, 60, 60}));
  const auto all = sequences[0].values<float>();
  EXPECT_TRUE(std::equal(all.begin() + 2 * 3600, all.begin() + 8 * 3600, second.values<float>().begin()));
}

TEST(RunInBatches, PaddingDoesNotChangeTheRows) {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 2}}};
  g.outputs = {{"y", DType::f32, {-1, 2}}};
  g.nodes = {{"relu", "Relu", {"x"}, {"y"}, {}}};
  const std::unique_ptr<Backend> ref = make_backend("ref");
  auto plan = ref->compile(g, {1, {{"x", {2, 2}}}});
  const std::vector<float> values{-1, 2, 3, -4, 5, 6, -7, 8, 9, -10};  // five rows
  const BatchedOutput out = run_in_batches(*plan, "x", "y", 2, 5, [&](size_t first, size_t n) {
    Tensor batch(DType::f32, {2, 2});
    for (size_t i = 0; i < 2; ++i)
      for (size_t c = 0; c < 2; ++c) batch.values<float>()[i * 2 + c] = values[(first + std::min(i, n - 1)) * 2 + c];
    return batch;
  });
  EXPECT_EQ(out.rows.shape(), (Shape{5, 2}));
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(out.rows.values<float>()[i], std::max(values[i], 0.0f)) << i;
  EXPECT_THROW(run_in_batches(*plan, "x", "y", 2, 0, {}), Error);
}

TEST(MeanRowsPerGroup, AveragesEachGroupsRows) {
  // Rows 0 and 2 form group 1, row 1 is group 0 alone.
  const Tensor rows = Tensor::from_vector<float>({3, 2}, {1, 2, 10, 20, 3, 6});
  const std::vector<size_t> group{1, 0, 1};
  const Tensor means = mean_rows_per_group(rows, group, 2);
  ASSERT_EQ(means.shape(), (Shape{2, 2}));
  EXPECT_EQ(std::vector<float>(means.values<float>().begin(), means.values<float>().end()),
            (std::vector<float>{10, 20, 2, 4}));
  EXPECT_THROW(mean_rows_per_group(rows, group, 3), Error);  // group 2 has no rows
  const std::vector<size_t> outside{0, 5, 1};
  EXPECT_THROW(mean_rows_per_group(rows, outside, 2), Error);
}

// Untrained models identify the three test subjects of the tiny sets about as well as guessing
// (1 in 3): GaitSet with KNN measured 33-42 % for the seeds tried. A trained one is tested with
// training.
TEST(EvaluateModel, RandomWeightsScoreNearChance) {
  const Graph gaitset = build_model("gaitset", {.frames = 8, .width_mult = 0.25, .seed = 5});
  const Evaluation e = evaluate_model(gaitset, tiny_dataset(), {});
  EXPECT_EQ(e.test_recordings, 60u);
  EXPECT_LT(e.mean_rank1(), 70.0);
  EXPECT_GT(e.feature_seconds, 0.0);
  const auto& casia = std::get<eval::CasiaBResult>(e.result);
  EXPECT_EQ(casia.views, (std::vector<int>{36, 90}));
  EXPECT_EQ(casia.conditions.size(), 3u);

  // The 2D-CNN's own classifier, its untrained softmax head told which subject each class is:
  // measured 28-44 % for seeds 5-8. (KNN over the same random features is not near chance on flow:
  // 56-72 % here, since random convolutions keep cues such as the walking speed; see docs/train.md.)
  Graph cnn2d = build_model("cnn2d", {.classes = 3, .frames = 4, .width_mult = 0.25, .seed = 5});
  cnn2d.metadata["stride.class_subjects"] = "4,5,6";
  EvaluationOptions softmax;
  softmax.classifier = Classifier::softmax;
  const Evaluation t = evaluate_model(cnn2d, tum_gaid_tiny_dataset(), softmax);
  EXPECT_EQ(t.test_recordings, 30u);  // 3 of 6 subjects test
  EXPECT_LT(t.mean_rank1(), 70.0);
}

TEST(EvaluateModel, FlowRecordingsAreJudgedByTheirWindows) {
  const Graph cnn2d = build_model("cnn2d", {.classes = 3, .frames = 4, .width_mult = 0.25, .seed = 5});
  // 8 frames give 7 fields: windows of 4 start at 0 .. 3, all four used by default.
  const Evaluation all = evaluate_model(cnn2d, tum_gaid_tiny_dataset(), {});
  EXPECT_EQ(all.model_samples, 4 * all.test_recordings);
  EvaluationOptions first;
  first.flow_windows = 1;
  const Evaluation one = evaluate_model(cnn2d, tum_gaid_tiny_dataset(), first);
  EXPECT_EQ(one.model_samples, one.test_recordings);
  first.flow_windows = 0;
  expect_error_naming([&] { evaluate_model(cnn2d, tum_gaid_tiny_dataset(), first); }, "at least 1");
}

// The validation subjects (TUM-GAID's split: 2 train, 1 validation, 3 test of the tiny set's 6) are
// evaluated when asked, and `auto` picks them where they exist; CASIA-B has none.
TEST(EvaluateModel, EvaluatesTheValidationSubjectsWhenAsked) {
  const Graph cnn2d = build_model("cnn2d", {.classes = 3, .frames = 4, .width_mult = 0.25, .seed = 5});
  EvaluationOptions options;
  options.split = Split::validation;
  const Evaluation v = evaluate_model(cnn2d, tum_gaid_tiny_dataset(), options);
  EXPECT_EQ(v.split, Split::validation);
  EXPECT_EQ(v.test_recordings, 10u);  // one subject's recordings
  options.split = Split::automatic;
  EXPECT_EQ(evaluate_model(cnn2d, tum_gaid_tiny_dataset(), options).split, Split::validation);

  const Graph gaitset = build_model("gaitset", {.frames = 8, .width_mult = 0.25, .seed = 5});
  const Evaluation c = evaluate_model(gaitset, tiny_dataset(), options);
  EXPECT_EQ(c.split, Split::test);
  EXPECT_EQ(c.test_recordings, 60u);
  options.split = Split::validation;
  expect_error_naming([&] { evaluate_model(gaitset, tiny_dataset(), options); }, "no validation subjects");
  expect_error_naming([&] { parse_split("train"); }, "--split train");
}

TEST(EvaluateModel, TheBackendsAgree) {
  const Graph gaitset = build_model("gaitset", {.frames = 8, .width_mult = 0.25, .seed = 9});
  EvaluationOptions ref;
  ref.backend = "ref";
  ref.batch = 7;  // padding in the last batch
  const Evaluation a = evaluate_model(gaitset, tiny_dataset(), {});
  const Evaluation b = evaluate_model(gaitset, tiny_dataset(), ref);
  EXPECT_DOUBLE_EQ(a.mean_rank1(), b.mean_rank1());
}

TEST(EvaluateModel, SoftmaxNeedsAModelTrainedOnTheTestSubjects) {
  Graph cnn2d = build_model("cnn2d", {.classes = 3, .frames = 4, .width_mult = 0.25});
  EvaluationOptions softmax;
  softmax.classifier = Classifier::softmax;
  expect_error_naming([&] { evaluate_model(cnn2d, tum_gaid_tiny_dataset(), softmax); }, "stride.class_subjects");
  cnn2d.metadata["stride.class_subjects"] = "1,2,3";  // the training subjects, not the test ones
  expect_error_naming([&] { evaluate_model(cnn2d, tum_gaid_tiny_dataset(), softmax); }, "test subject 4");
  cnn2d.metadata["stride.class_subjects"] = "4,5,6";
  const Evaluation e = evaluate_model(cnn2d, tum_gaid_tiny_dataset(), softmax);
  EXPECT_EQ(e.test_recordings, 30u);
}

}  // namespace
}  // namespace stride::pipeline
