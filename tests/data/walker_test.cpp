#include "stride/data/walker.h"

#include <gtest/gtest.h>

#include "stride/data/gait_energy.h"
#include "stride/data/pose.h"
#include "stride/data/raycast.h"
#include "stride/data/recording.h"
#include "stride/data/silhouette_align.h"

namespace stride::data {
namespace {

constexpr uint64_t kSeed = 11;

TEST(Pose, LegsAndArmsAlternate) {
  const BodyBuild build;
  const GaitStyle gait;
  // Right heel strike: the right foot is in front, the left arm swings forward.
  const Skeleton strike = pose_at(build, gait, 0.0);
  EXPECT_GT(strike.legs[kRight].ankle.x, strike.legs[kLeft].ankle.x + 0.3);
  EXPECT_GT(strike.arms[kLeft].wrist.x, strike.arms[kRight].wrist.x + 0.1);
  // Half a cycle later everything is mirrored.
  const Skeleton half = pose_at(build, gait, 0.5);
  EXPECT_GT(half.legs[kLeft].ankle.x, half.legs[kRight].ankle.x + 0.3);
  EXPECT_GT(half.arms[kRight].wrist.x, half.arms[kLeft].wrist.x + 0.1);
  // The swinging leg folds its knee and lifts its foot; the stance leg stays long.
  const Skeleton swing = pose_at(build, gait, 0.72);
  const Skeleton stance = pose_at(build, gait, 0.3);
  EXPECT_GT(swing.legs[kRight].ankle.z, stance.legs[kRight].ankle.z + 0.05);
  EXPECT_NEAR(stance.legs[kRight].ankle.z, -(build.thigh + build.shin), 0.05);
  EXPECT_NEAR(length(stance.legs[kRight].knee - stance.legs[kRight].hip), build.thigh, 1e-9);
  // The pose repeats every cycle.
  EXPECT_NEAR(pose_at(build, gait, 1.3).legs[kLeft].toe.x, pose_at(build, gait, 0.3).legs[kLeft].toe.x, 1e-9);
}

TEST(Walker, StandsOnTheFloorAndCoversOneStridePerCycle) {
  const Subject subject = sample_subject(kSeed, 1);
  WalkVariation walk;
  walk.gait = subject.gait;
  const double cycle = 1.0 / walk.gait.cycles_per_second;
  auto mean_x = [](const Body& body) {
    double sum = 0;
    for (const Ellipsoid& e : body.parts) sum += e.centre.x;
    return sum / static_cast<double>(body.parts.size());
  };
  for (double t : {-0.4, 0.0, 0.23, 0.61}) {
    const Body now = walker_at(subject, walk, t);
    EXPECT_NEAR(now.lowest(Material::shoes), 0.0, 1e-9);
    EXPECT_NEAR(mean_x(walker_at(subject, walk, t + cycle)) - mean_x(now), walk.gait.stride_length, 1e-6);
  }
}

TEST(Walker, SubjectsDiffer) {
  const Subject a = sample_subject(kSeed, 1), b = sample_subject(kSeed, 2);
  EXPECT_NE(a.build.height, b.build.height);
  EXPECT_NE(a.gait.cycles_per_second, b.gait.cycles_per_second);
  EXPECT_NE(a.build.shoulder_width, b.build.shoulder_width);
  EXPECT_EQ(sample_subject(kSeed, 1).build.height, a.build.height);
}

SynthConfig clean_config(int frames) {
  SynthConfig config = synth_preset("casia-b-mini");
  config.noise = SegmentationNoise{0, 0, 0, 0, 0, 0};
  config.frames = frames;
  return config;
}

// The gait energy image of one recording, as a 64x44 image.
cv::Mat gei_of(const SynthConfig& config, const RecordingId& id) {
  const Tensor gei = gait_energy_image_over_cycles(align_silhouettes(render_silhouettes(config, kSeed, id)));
  return cv::Mat(kAlignedHeight, kAlignedWidth, CV_32FC1, const_cast<float*>(gei.data<float>())).clone();
}

TEST(Walker, TwoWalksOfOneSubjectLookMoreAlikeThanTwoSubjects) {
  // Nearest-neighbour matching of gait energy images, the classic baseline, must already find
  // identity in clean side views: each subject's second walk is closest to its own first walk.
  const SynthConfig config = clean_config(30);
  constexpr int kSubjects = 4;
  std::vector<cv::Mat> gallery, probes;
  for (int s = 1; s <= kSubjects; ++s) {
    gallery.push_back(gei_of(config, {s, Condition::normal, 1, 90}));
    probes.push_back(gei_of(config, {s, Condition::normal, 2, 90}));
  }
  for (int p = 0; p < kSubjects; ++p) {
    int nearest = -1;
    double best = 1e30;
    for (int g = 0; g < kSubjects; ++g) {
      const double d = cv::norm(probes[p], gallery[g], cv::NORM_L2);
      if (d < best) best = d, nearest = g;
    }
    EXPECT_EQ(nearest, p) << "subject " << p + 1;
  }
}

// Silhouette pixels over a recording, with the recording's outfit or with plain clothes.
int64_t outline_area(const SynthConfig& config, const RecordingId& id, bool keep_outfit) {
  const Subject subject = sample_subject(kSeed, id.subject);
  WalkVariation walk = sample_walk_variation(kSeed, id.subject, subject, id.condition, id.sequence);
  if (!keep_outfit) walk.outfit = Outfit{};
  const Camera camera = recording_camera(config.studio, kSeed, id);
  int64_t area = 0;
  for (int f = 0; f < config.frames; ++f)
    area += cv::countNonZero(silhouette(cast_rays(camera, walker_at(subject, walk, 0.08 * f).parts)));
  return area;
}

TEST(Walker, BagsAndCoatsWidenTheOutline) {
  const SynthConfig config = clean_config(6);
  // Seen from the front a backpack hides behind the body, as in CASIA-B; oblique and side views show it.
  for (int subject = 1; subject <= 3; ++subject) {
    for (int view : {54, 90}) {
      const RecordingId bag{subject, Condition::bag, 1, view}, coat{subject, Condition::coat, 1, view};
      EXPECT_GT(outline_area(config, bag, true), 1.03 * outline_area(config, bag, false))
          << "subject " << subject << " view " << view;
      EXPECT_GT(outline_area(config, coat, true), 1.10 * outline_area(config, coat, false))
          << "subject " << subject << " view " << view;
    }
  }
}

}  // namespace
}  // namespace stride::data
