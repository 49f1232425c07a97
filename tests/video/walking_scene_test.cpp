#include "stride/data/walking_scene.h"

#include <gtest/gtest.h>

#include <set>

#include "stride/core/error.h"
#include "stride/video/label_images.h"
#include "small_scene.h"

namespace stride::data {
namespace {

SceneConfig small_scene(int people) { return testing::small_scene(people, 100); }

TEST(WalkingScene, WalkersAreTheDatasetsSubjectsOnDistinctLanes) {
  SceneConfig c = small_scene(3);
  c.subjects = {75, 80, 93};
  const WalkingScene scene(c, 4);
  ASSERT_EQ(scene.walkers().size(), 3u);
  EXPECT_EQ(scene.walkers()[1].subject, 80);
  EXPECT_NE(scene.walkers()[0].direction, scene.walkers()[1].direction) << "walkers cross";
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = i + 1; j < 3; ++j) EXPECT_GE(std::abs(scene.walkers()[i].lane - scene.walkers()[j].lane), 0.5);
  // The body is the dataset's subject: the same seed and id give the same build.
  EXPECT_DOUBLE_EQ(scene.walkers()[0].body.build.height, sample_subject(c.subject_seed, 75).build.height);
}

TEST(WalkingScene, FramesAreDeterministicAndLabelTheVisibleWalkers) {
  const WalkingScene scene(small_scene(2), 9);
  const SceneFrame a = scene.render(50), b = scene.render(50);
  EXPECT_EQ(cv::countNonZero(a.image != b.image), 0);
  EXPECT_EQ(cv::countNonZero(a.labels != b.labels), 0);
  std::set<int> seen;
  for (int f = 0; f < 100; f += 5) {
    const SceneFrame frame = scene.render(f);
    for (const auto& row : video::label_boxes(frame.labels, f + 1, 1)) seen.insert(static_cast<int>(row.id));
  }
  EXPECT_EQ(seen, (std::set<int>{scene.walkers()[0].subject, scene.walkers()[1].subject}));
}

// Columns in the middle half of the frame where no walker is ever seen, over the whole video.
int hidden_middle_columns(const WalkingScene& scene) {
  cv::Mat ever = cv::Mat::zeros(1, scene.config().width, CV_8UC1);
  for (int f = 0; f < scene.config().frames; f += 2) {
    cv::Mat columns;
    cv::reduce(scene.render(f).labels > 0, columns, 0, cv::REDUCE_MAX);
    ever |= columns;
  }
  const int w = scene.config().width;
  return w / 2 - cv::countNonZero(ever.colRange(w / 4, w / 4 + w / 2));
}

TEST(WalkingScene, ThePillarHidesWhoeverPassesBehindIt) {
  SceneConfig c = small_scene(2);
  c.frames = 200;  // both walkers cross the whole frame
  EXPECT_GE(hidden_middle_columns(WalkingScene(c, 9)), c.width / 20 - 1);
  c.pillar = false;
  EXPECT_EQ(hidden_middle_columns(WalkingScene(c, 9)), 0);
}

TEST(WalkingScene, RefusesScenesItCannotHold) {
  SceneConfig c = small_scene(10);
  EXPECT_THROW(WalkingScene(c, 1), Error);
  c = small_scene(2);
  c.subjects = {5, 5};
  EXPECT_THROW(WalkingScene(c, 1), Error);
  c = small_scene(2);
  c.width = 10;
  EXPECT_THROW(WalkingScene(c, 1), Error);
}

}  // namespace
}  // namespace stride::data
