// Activity models train like the gait models, with activities for classes: the optimiser each gets,
// the loss falling on windows that are easy to tell apart, and the activities named in the result.
#include <gtest/gtest.h>

#include <cmath>

#include "stride/core/random.h"
#include "stride/train/trainer.h"
#include "stride/zoo/zoo.h"

namespace stride::train {
namespace {

const std::atomic<bool> kRun{false};

// Windows whose activity is told by a constant offset on one channel (activity a: channel a at +1),
// with noise: learnable in a few epochs by any of the models.
TrainingSet easy_windows(const Graph& model, int activities, int per_activity) {
  TrainingSet set{pipeline::model_input_of(model), {}, {}, {"STILL", "WALKING", "RUNNING"}};
  Random rng(3);
  for (int a = 0; a < activities; ++a)
    for (int i = 0; i < per_activity; ++i) {
      Tensor w(DType::f32, {9, 128});
      auto v = w.values<float>();
      for (size_t k = 0; k < v.size(); ++k) v[k] = 0.3f * (2 * rng.uniform() - 1) + (k / 128 == size_t(a) ? 1.f : 0.f);
      set.material.push_back(w);
      set.labels.push_back(a);
    }
  return set;
}

TEST(ActivityTraining, RecurrentModelsGetAdamOthersSgdUnlessTold) {
  const Graph lstm = build_model("har-lstm", {.classes = 3});
  const Graph cnn = build_model("har-cnn", {.classes = 3});
  TrainOptions o;
  o.threads = 1;
  EXPECT_TRUE(Trainer(lstm, easy_windows(lstm, 3, 2), o).uses_adam());
  EXPECT_FALSE(Trainer(cnn, easy_windows(cnn, 3, 2), o).uses_adam());
  o.optimizer = Optimizer::adam;
  EXPECT_TRUE(Trainer(cnn, easy_windows(cnn, 3, 2), o).uses_adam());
  o.optimizer = Optimizer::sgd;
  EXPECT_FALSE(Trainer(lstm, easy_windows(lstm, 3, 2), o).uses_adam());
}

TEST(ActivityTraining, LstmLearnsAndNamesItsActivities) {
  const Graph model = build_model("har-cnn-lstm", {.classes = 3, .width_mult = 0.5, .seed = 1});
  TrainOptions o;
  o.threads = 1;
  o.epochs = 6;
  Trainer trainer(model, easy_windows(model, 3, 16), o);
  double first = 0, last = 0;
  for (int e = 0; e < o.epochs; ++e) {
    const auto report = trainer.run_epoch({}, kRun);
    ASSERT_TRUE(report);
    (e == 0 ? first : last) = report->loss;
  }
  EXPECT_LT(last, 0.5 * first) << "loss " << first << " → " << last;
  const Graph trained = trainer.trained_model();
  EXPECT_EQ(trained.metadata.at("stride.class_names"), "STILL,WALKING,RUNNING");
  EXPECT_EQ(trained.metadata.count("stride.class_subjects"), 0u);
}

}  // namespace
}  // namespace stride::train
