#include "stride/video/track_statistics.h"

#include <gtest/gtest.h>

namespace stride::video {
namespace {

TEST(TrackStatistics, LengthsAndTracksThatStartOrEndInTheOpen) {
  const cv::Size size(200, 100);  // edges: 10 columns, 5 rows
  std::vector<MotRow> rows;
  // Track 1: crosses from the left edge to the right edge over 40 frames.
  for (int f = 1; f <= 40; ++f) rows.push_back({f, 1, {(f - 1) * 180.0 / 39, 20, 20, 50}, 1});
  // Track 2: appears in the middle at frame 50 and vanishes there 10 frames later: a fragment.
  for (int f = 50; f < 60; ++f) rows.push_back({f, 2, {90, 20, 20, 50}, 1});
  // Track 3: in the middle from the video's first frame to its last (frames 1..100): never in the open.
  for (int f = 1; f <= 100; f += 2) rows.push_back({f, 3, {120, 20, 20, 50}, 1});
  const TrackStatistics t = track_statistics(rows, 100, size);
  EXPECT_EQ(t.tracks, 3);
  EXPECT_EQ(t.long_tracks, 2);  // 40 and 50 frames; 10 is short
  EXPECT_DOUBLE_EQ(t.median_frames, 40);
  EXPECT_EQ(t.started_inside, 1);
  EXPECT_EQ(t.ended_inside, 1);
  EXPECT_EQ(track_statistics({}, 100, size).tracks, 0);
}

}  // namespace
}  // namespace stride::video
