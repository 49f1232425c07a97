// The whole path from a video file to scored tracks, on a generated scene small enough for a test.
#include "stride/video/track_video.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <opencv2/videoio.hpp>

#include "../support/data_test_support.h"
#include "stride/video/scene_video.h"
#include "stride/video/tracking_metrics.h"
#include "small_scene.h"

namespace stride::video {
namespace {

using data::testing::expect_error_naming;
using data::testing::TempDir;

data::SceneConfig test_scene() { return testing::small_scene(2, 160); }

TEST(TrackVideo, FollowsGeneratedWalkersAndTheirMasks) {
  TempDir dir;
  const data::WalkingScene scene(test_scene(), 3);
  const int64_t truth_rows = write_scene_video(scene, {dir / "walk.avi", dir / "gt.csv", dir / "gt-masks"});
  EXPECT_EQ(static_cast<size_t>(truth_rows), read_mot_csv(dir / "gt.csv").size());
  EXPECT_FALSE(std::filesystem::exists(label_image_path(dir / "gt-masks", 161)));
  EXPECT_TRUE(std::filesystem::exists(label_image_path(dir / "gt-masks", 160)));

  TrackVideoOptions options;
  options.masks = dir / "masks";
  options.silhouettes = dir / "silhouettes";
  options.keep_walks = true;
  int64_t last_progress = 0;
  const TrackedVideo t = track_video((dir / "walk.avi").string(), options, [&](int64_t read, int64_t) { last_progress = read; });
  EXPECT_EQ(t.frames, 160);
  EXPECT_EQ(last_progress, 160);
  EXPECT_EQ(t.frame_ms.size(), 160u);
  EXPECT_EQ(t.size, cv::Size(320, 240));
  EXPECT_NEAR(t.fps, 25.0, 0.01);
  ASSERT_GE(t.tracks, 2);
  // Every track's silhouettes are on disk, 64x44.
  for (const auto& [id, count] : t.silhouettes) {
    const auto folder = dir / "silhouettes" / fmt::format("{:03d}", id);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder), {}), count);
    ASSERT_EQ(t.walks.count(id), 1u);
    EXPECT_EQ(static_cast<int64_t>(t.walks.at(id).silhouettes.size()), count);
    EXPECT_TRUE(std::is_sorted(t.walks.at(id).frames.begin(), t.walks.at(id).frames.end()));
  }

  // Floors that a broken stage falls through (a tracker that loses everyone scores near 0), not the
  // targets: docs/video.md has the figures measured on full-size scenes.
  const TrackingScore s = score_tracks(read_mot_csv(dir / "gt.csv"), t.rows, dir / "gt-masks", dir / "masks");
  EXPECT_EQ(s.truth_ids, 2);
  EXPECT_GT(s.mota, 0.6);
  EXPECT_GT(s.idf1, 0.45);
  ASSERT_TRUE(s.mask_iou.has_value());
  EXPECT_GT(*s.mask_iou, 0.6);
}

TEST(TrackVideo, AVideoWithoutPeopleGivesNoTracks) {
  TempDir dir;
  cv::VideoWriter writer((dir / "empty.avi").string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25, {160, 120});
  ASSERT_TRUE(writer.isOpened());
  for (int f = 0; f < 30; ++f) writer.write(cv::Mat(120, 160, CV_8UC3, cv::Scalar(90, 90, 90)));
  writer.release();
  const TrackedVideo t = track_video((dir / "empty.avi").string(), {});
  EXPECT_EQ(t.frames, 30);
  EXPECT_EQ(t.tracks, 0);
  EXPECT_TRUE(t.rows.empty());
}

TEST(TrackVideo, UnreadableAndTruncatedVideosAreOneLineErrors) {
  TempDir dir;
  expect_error_naming([&] { track_video((dir / "absent.avi").string(), {}); }, "absent.avi: no such file");
  std::ofstream(dir / "text.avi") << "not a video\n";
  expect_error_naming([&] { track_video((dir / "text.avi").string(), {}); }, "cannot be opened as a video");
  data::SceneConfig c = test_scene();
  c.frames = 60;
  write_scene_video(data::WalkingScene(c, 1), {dir / "walk.avi", dir / "gt.csv", {}});
  const std::string bytes = [&] {
    std::ifstream in(dir / "walk.avi", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  std::ofstream(dir / "cut.avi", std::ios::binary) << bytes.substr(0, bytes.size() / 3);
  TrackVideoOptions with_outputs;
  with_outputs.masks = dir / "masks";
  with_outputs.annotated = dir / "annotated.avi";
  const auto before = std::distance(std::filesystem::directory_iterator(dir.path()), {});
  expect_error_naming([&] { track_video((dir / "cut.avi").string(), with_outputs); }, "truncated or damaged");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), before)
      << "no mask folder, annotated video or stage of either left behind";
  expect_error_naming([&] { track_video("-", {}); }, "--raw-size");
}

}  // namespace
}  // namespace stride::video
