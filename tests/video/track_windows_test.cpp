#include "stride/video/track_windows.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"

namespace stride::video {
namespace {

// A walk of `count` silhouettes, each with one lit pixel in column 3 of row `frame`.
TrackWalk walk(int count, double from_x, double to_x) {
  TrackWalk w;
  for (int i = 0; i < count; ++i) {
    cv::Mat s = cv::Mat::zeros(64, 44, CV_32FC1);
    s.at<float>(i % 64, 3) = 1.0f;
    w.silhouettes.push_back(s);
    w.frames.push_back(10 + 2 * i);
  }
  w.first_centre_x = from_x;
  w.last_centre_x = to_x;
  return w;
}

TEST(TrackWindows, ConsecutiveWindowsOfTheClipLengthMirroredToOneDirection) {
  std::map<int64_t, TrackWalk> walks;
  walks[4] = walk(65, 10, 300);   // rightwards: two windows of 30, 5 left over
  walks[7] = walk(31, 300, 10);   // leftwards: one window, mirrored
  walks[9] = walk(12, 10, 300);   // too short for a window
  const auto windows = track_windows(walks, 30);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].track, 4);
  EXPECT_EQ(windows[1].track, 4);
  EXPECT_EQ(windows[1].first_frame, 10 + 2 * 30);
  EXPECT_EQ(windows[1].last_frame, 10 + 2 * 59);
  EXPECT_EQ(windows[0].silhouettes.shape(), (Shape{30, 64, 44}));
  const float* right = windows[1].silhouettes.data<float>();
  EXPECT_EQ(right[(0 * 64 + 30) * 44 + 3], 1.0f) << "window 2 starts with the walk's 31st silhouette";
  const float* left = windows[2].silhouettes.data<float>();
  EXPECT_EQ(left[(0 * 64 + 0) * 44 + (43 - 3)], 1.0f) << "a leftward walk is mirrored";
  EXPECT_EQ(left[(0 * 64 + 0) * 44 + 3], 0.0f);
  EXPECT_THROW(track_windows(walks, 0), Error);
}

}  // namespace
}  // namespace stride::video
