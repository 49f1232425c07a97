#include "stride/train/trainer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "stride/compress/ghost_conversion.h"
#include "stride/core/error.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/train/reusing_cpu_allocator.h"
#include "stride/zoo/zoo.h"
#include "support/data_test_support.h"

namespace stride::train {
namespace {

using data::testing::expect_error_naming;
using data::testing::TempDir;

// The recordings of `subjects` (gallery ones only with `gallery_only`) loaded for `model`.
TrainingSet training_set(const Graph& model, const std::filesystem::path& dataset, bool test_gallery) {
  const pipeline::ModelInput input = pipeline::model_input_of(model);
  const pipeline::GaitRecordings r = pipeline::GaitRecordings::open(dataset, input);
  const std::vector<size_t> rows = test_gallery ? r.rows_of(r.split().test, true) : r.rows_of(r.split().train, false);
  TrainingSet set{input, r.load(rows, 2, {}), {}, {}};
  for (size_t row : rows) set.labels.push_back(r.samples()[row].subject);
  return set;
}

Graph small_gaitset() { return build_model("gaitset", {.frames = 8, .width_mult = 0.25, .seed = 2}); }
Graph small_cnn2d(int64_t classes) {
  return build_model("cnn2d", {.classes = classes, .frames = 4, .width_mult = 0.25, .seed = 2});
}

TrainOptions triplet_options() {
  TrainOptions o;
  o.epochs = 2;
  o.subjects_per_batch = 3;
  o.recordings_per_subject = 4;
  o.threads = 2;
  return o;
}

const std::atomic<bool> kRun{false};

TEST(Trainer, ResumingFromACheckpointContinuesExactly) {
  const Graph model = small_gaitset();
  const TrainingSet set = training_set(model, data::testing::tiny_dataset(), false);
  TempDir dir;
  Trainer straight(model, set, triplet_options());
  EXPECT_EQ(straight.objective(), Objective::triplet);
  ASSERT_TRUE(straight.run_epoch({}, kRun));
  straight.save_checkpoint(dir / "ckpt");
  const auto second = straight.run_epoch({}, kRun);

  Trainer resumed(model, set, triplet_options());
  resumed.load_checkpoint(dir / "ckpt");
  EXPECT_EQ(resumed.epochs_done(), 1);
  const auto again = resumed.run_epoch({}, kRun);
  ASSERT_TRUE(second && again);
  EXPECT_NEAR(again->loss, second->loss, 1e-6 * std::abs(second->loss));

  const Graph a = straight.trained_model(), b = resumed.trained_model();
  for (const auto& [name, t] : a.initializers) {
    if (t.dtype() != DType::f32) continue;  // shapes and axes
    const auto va = t.values<float>(), vb = b.initializers.at(name).values<float>();
    for (size_t i = 0; i < va.size(); ++i) ASSERT_NEAR(va[i], vb[i], 1e-5f) << name;
  }
  EXPECT_EQ(a.metadata.at("stride.train.epochs"), "2");
  EXPECT_NE(a.initializers, model.initializers);  // the weights moved
}

TEST(Trainer, StopsBetweenBatchesWhenAsked) {
  const Graph model = small_gaitset();
  Trainer trainer(model, training_set(model, data::testing::tiny_dataset(), false), triplet_options());
  const std::atomic<bool> stop{true};
  EXPECT_FALSE(trainer.run_epoch({}, stop));
  EXPECT_EQ(trainer.epochs_done(), 0);
}

TEST(Trainer, RefusesBrokenOrForeignCheckpoints) {
  const Graph model = small_gaitset();
  const TrainingSet set = training_set(model, data::testing::tiny_dataset(), false);
  TempDir dir;
  std::ofstream(dir / "garbage") << "not a checkpoint";
  Trainer trainer(model, set, triplet_options());
  expect_error_naming([&] { trainer.load_checkpoint(dir / "garbage"); }, (dir / "garbage").string());

  const Graph other = build_model("gaitset", {.frames = 8, .width_mult = 0.5});
  Trainer wider(other, training_set(other, data::testing::tiny_dataset(), false), triplet_options());
  wider.save_checkpoint(dir / "wider");
  expect_error_naming([&] { trainer.load_checkpoint(dir / "wider"); }, "starting model");
}

// A checkpoint left at the same path by a run on other data, or with other options, is not
// continued as this run's: the message says what differs. The same run's checkpoint resumes.
TEST(Trainer, RefusesTheCheckpointOfAnotherRun) {
  const Graph model = small_gaitset();
  TempDir dir;
  Trainer first(model, training_set(model, data::testing::tiny_dataset(), false), triplet_options());
  first.save_checkpoint(dir / "ckpt");

  Trainer other_data(model, training_set(model, data::testing::tiny_dataset(), true), triplet_options());
  expect_error_naming([&] { other_data.load_checkpoint(dir / "ckpt"); }, "the training data");
  TrainOptions other_seed = triplet_options();
  other_seed.seed = 99;
  Trainer other_options(model, training_set(model, data::testing::tiny_dataset(), false), other_seed);
  expect_error_naming([&] { other_options.load_checkpoint(dir / "ckpt"); }, "the training options");
  const Graph other_weights = build_model("gaitset", {.frames = 8, .width_mult = 0.25, .seed = 3});
  Trainer other_model(other_weights, training_set(other_weights, data::testing::tiny_dataset(), false),
                      triplet_options());
  expect_error_naming([&] { other_model.load_checkpoint(dir / "ckpt"); }, "the starting model");

  Trainer same(model, training_set(model, data::testing::tiny_dataset(), false), triplet_options());
  same.load_checkpoint(dir / "ckpt");
  EXPECT_EQ(same.epochs_done(), 0);
}

// Cross-entropy on the test subjects' galleries: the loss falls, the batches are fitted better than
// guessing, and the model records which subject each class is, so that its softmax can be evaluated.
TEST(Trainer, CrossEntropyLearnsTheGallerySubjects) {
  const Graph model = small_cnn2d(3);
  TrainOptions o;
  o.epochs = 12;
  o.batch_size = 4;
  o.threads = 2;
  Trainer trainer(model, training_set(model, data::testing::tum_gaid_tiny_dataset(), true), o);
  EXPECT_EQ(trainer.objective(), Objective::cross_entropy);
  std::vector<double> losses, accuracies;
  for (int e = 0; e < o.epochs; ++e) {
    const EpochReport r = *trainer.run_epoch({}, kRun);
    losses.push_back(r.loss);
    accuracies.push_back(r.accuracy);
  }
  EXPECT_LT(losses.back(), 0.5 * losses.front());
  // Three subjects: guessing fits a third of the gallery batches; the last epochs fit about half or more.
  EXPECT_GT((accuracies[8] + accuracies[9] + accuracies[10] + accuracies[11]) / 4, 0.45);

  const Graph trained = trainer.trained_model();
  EXPECT_EQ(trained.metadata.at("stride.class_subjects"), "4,5,6");
  EXPECT_EQ(trained.metadata.at("stride.train.objective"), "cross_entropy");
  pipeline::EvaluationOptions softmax;
  softmax.classifier = pipeline::Classifier::softmax;
  const pipeline::Evaluation e = pipeline::evaluate_model(trained, data::testing::tum_gaid_tiny_dataset(), softmax);
  EXPECT_EQ(e.test_recordings, 30u);  // the softmax names every test subject's probes without refusing
}

// Ghost modules train: the zoo's L-ResNet-50 and a ResNet-50 converted by `stride convert --ghost` (whose
// cheap maps start as copies) fit the tiny set's gallery GEIs, and both halves of a module learn.
TEST(Trainer, GhostModelsTrainOnGaitEnergyImages) {
  const ZooOptions small{.classes = 3, .height = 32, .width = 32, .width_mult = 0.25, .seed = 2};
  const Graph converted = convert_to_ghost(build_model("resnet50-gei", small)).graph;
  for (const Graph& model : {build_model("l-resnet50-gei", small), converted}) {
    SCOPED_TRACE(model.metadata.count("stride.convert.ghost") ? "converted" : "zoo");
    TrainOptions o;
    o.epochs = 6;
    o.batch_size = 4;
    o.threads = 2;
    Trainer trainer(model, training_set(model, data::testing::tiny_dataset(), true), o);
    std::vector<double> losses;
    for (int e = 0; e < o.epochs; ++e) losses.push_back(trainer.run_epoch({}, kRun)->loss);
    EXPECT_TRUE(std::isfinite(losses.back()));
    EXPECT_LT(losses.back(), losses.front());
    const Graph trained = trainer.trained_model();
    for (const char* weight : {"layer1.0/conv2/Conv/ghost_primary.weight", "layer1.0/conv2/Conv/ghost_cheap.weight"})
      EXPECT_NE(trained.initializers.at(weight), model.initializers.at(weight)) << weight;
  }
}

TEST(Trainer, TheRateDropsOnPlateausAtMostThreeTimes) {
  // A rate too small to move the weights: the loss only wanders with the sampled windows, so the
  // schedule sees one plateau after another and must stop at a thousandth of the first rate.
  const Graph model = small_cnn2d(3);
  TrainOptions o;
  o.learning_rate = 1e-9;
  o.plateau_patience = 1;
  o.batch_size = 8;
  o.threads = 2;
  Trainer trainer(model, training_set(model, data::testing::tum_gaid_tiny_dataset(), true), o);
  std::vector<double> rates;
  for (int e = 0; e < 14; ++e) rates.push_back(trainer.run_epoch({}, kRun)->learning_rate);
  EXPECT_DOUBLE_EQ(rates.front(), 1e-9);
  EXPECT_NEAR(trainer.learning_rate(), 1e-12, 1e-18);
  EXPECT_EQ(std::set<double>(rates.begin(), rates.end()).size(), 4u);  // 1e-9 and three drops
}

TEST(Trainer, RefusesASoftmaxHeadWithFewerClassesThanSubjects) {
  const Graph model = small_cnn2d(2);
  expect_error_naming(
      [&] { Trainer(model, training_set(model, data::testing::tum_gaid_tiny_dataset(), true), TrainOptions{}); },
      "--classes 3");
}

TEST(Trainer, ZeroEpochsLabelsTheHeadAndLeavesTheWeights) {
  const Graph model = small_cnn2d(3);
  TrainOptions o;
  o.epochs = 0;
  const Trainer trainer(model, training_set(model, data::testing::tum_gaid_tiny_dataset(), true), o);
  const Graph labelled = trainer.trained_model();
  EXPECT_EQ(labelled.initializers, model.initializers);
  EXPECT_FALSE(labelled.metadata.at("stride.class_subjects").empty());
  o.epochs = -1;
  expect_error_naming([&] { Trainer(model, training_set(model, data::testing::tum_gaid_tiny_dataset(), true), o); },
                      "0 or more");
}

TEST(ReusingAllocator, HandsFreedBlocksBack) {
  use_reusing_cpu_allocator();
  const void* first = nullptr;
  {
    const torch::Tensor t = torch::empty({1000, 1000});
    first = t.data_ptr();
  }
  EXPECT_GE(reusing_allocator_cached_bytes(), 4'000'000u);
  const torch::Tensor again = torch::empty({1000, 1000});
  EXPECT_EQ(again.data_ptr(), first);
}

}  // namespace
}  // namespace stride::train
