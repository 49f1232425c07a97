#include "stride/video/tracking_metrics.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "../support/data_test_support.h"
#include "stride/core/error.h"
#include "stride/video/label_images.h"

namespace stride::video {
namespace {

using data::testing::TempDir;

// Two people walking apart for `frames` frames: person 1 at x = 10 f, person 2 at x = 300 - 10 f.
std::vector<MotRow> two_walkers(int frames) {
  std::vector<MotRow> rows;
  for (int f = 1; f <= frames; ++f) {
    rows.push_back({f, 1, {10.0 * f, 50, 40, 100}, 1});
    rows.push_back({f, 2, {300.0 - 10.0 * f, 60, 40, 100}, 1});
  }
  return rows;
}

TEST(TrackingMetrics, PerfectTracksUnderOtherIds) {
  std::vector<MotRow> tracks = two_walkers(10);
  for (MotRow& r : tracks) r.id += 40;
  const TrackingScore s = score_tracks(two_walkers(10), tracks);
  EXPECT_EQ(s.truth_boxes, 20);
  EXPECT_EQ(s.matches, 20);
  EXPECT_EQ(s.id_switches, 0);
  EXPECT_DOUBLE_EQ(s.mota, 1.0);
  EXPECT_DOUBLE_EQ(s.motp, 1.0);
  EXPECT_DOUBLE_EQ(s.idf1, 1.0);
}

TEST(TrackingMetrics, AnIdentityChangeHalfwayCountsOnceAndHalvesTheIdentityMeasure) {
  // Person 1 is track 5 for frames 1-4 and track 6 for frames 5-10; person 2 is track 7 throughout.
  std::vector<MotRow> tracks = two_walkers(10);
  for (MotRow& r : tracks) r.id = r.id == 2 ? 7 : (r.frame <= 4 ? 5 : 6);
  const TrackingScore s = score_tracks(two_walkers(10), tracks);
  EXPECT_EQ(s.id_switches, 1);
  EXPECT_EQ(s.misses, 0);
  EXPECT_EQ(s.false_positives, 0);
  EXPECT_DOUBLE_EQ(s.mota, 1.0 - 1.0 / 20);
  // Best pairing: person 1 with track 6 (6 frames), person 2 with track 7 (10): IDTP 16 of 20 + 20.
  EXPECT_EQ(s.idtp, 16);
  EXPECT_DOUBLE_EQ(s.idf1, 2.0 * 16 / 40);
  EXPECT_EQ(s.track_ids, 3);
}

TEST(TrackingMetrics, MissesFalsePositivesAndBoxesBelowHalfOverlap) {
  std::vector<MotRow> tracks = two_walkers(4);
  tracks.erase(tracks.begin());  // person 1 missed in frame 1
  tracks.push_back({2, 9, {500, 0, 20, 20}, 1});  // a box on nobody
  tracks[0].box.x += 30;                          // person 2 in frame 1 shifted: IoU 10/70 < 0.5
  const TrackingScore s = score_tracks(two_walkers(4), tracks);
  EXPECT_EQ(s.matches, 6);
  EXPECT_EQ(s.misses, 2);
  EXPECT_EQ(s.false_positives, 2);
  EXPECT_DOUBLE_EQ(s.mota, 1.0 - 4.0 / 8);
}

TEST(TrackingMetrics, MaskIouFromLabelImages) {
  TempDir dir;
  cv::Mat truth = cv::Mat::zeros(100, 100, CV_16UC1), tracked = cv::Mat::zeros(100, 100, CV_16UC1);
  truth(cv::Rect(10, 10, 20, 40)).setTo(3);    // 800 pixels each,
  tracked(cv::Rect(10, 20, 20, 40)).setTo(8);  // 600 of them shared: IoU 600 / 1000
  std::filesystem::create_directories(dir / "truth");
  std::filesystem::create_directories(dir / "tracked");
  write_label_image(dir / "truth", 1, truth);
  write_label_image(dir / "tracked", 1, tracked);
  const std::vector<MotRow> t = {{1, 3, {10, 10, 20, 40}, 1}}, k = {{1, 8, {10, 12, 20, 40}, 1}};
  const TrackingScore s = score_tracks(t, k, dir / "truth", dir / "tracked");
  ASSERT_TRUE(s.mask_iou.has_value());
  EXPECT_DOUBLE_EQ(*s.mask_iou, 0.6);
  EXPECT_THROW(score_tracks(t, k, dir / "truth", dir / "absent"), Error);
}

TEST(LabelImages, BoxesOfTheIdsSeenEnough) {
  cv::Mat labels = cv::Mat::zeros(50, 60, CV_16UC1);
  labels(cv::Rect(5, 6, 10, 20)).setTo(300);
  labels(cv::Rect(40, 40, 2, 2)).setTo(7);  // 4 pixels: too few
  const auto rows = label_boxes(labels, 12, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].frame, 12);
  EXPECT_EQ(rows[0].id, 300);
  EXPECT_DOUBLE_EQ(rows[0].box.x, 5);
  EXPECT_DOUBLE_EQ(rows[0].box.y, 6);
  EXPECT_DOUBLE_EQ(rows[0].box.w, 10);
  EXPECT_DOUBLE_EQ(rows[0].box.h, 20);
}

}  // namespace
}  // namespace stride::video
