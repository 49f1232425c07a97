#pragma once
// What can be said of tracks without a ground truth: how long they last, and how many start or end
// away from the frame's edges — a walker appears and leaves at an edge (or a door), so a track that
// begins or ends in the open is most likely a fragment of a walker tracked under several ids.
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/video/mot_csv.h"

namespace stride::video {

struct TrackStatistics {
  int64_t tracks = 0;
  int64_t long_tracks = 0;      // reported in at least kLongTrackFrames frames
  double median_frames = 0;     // frames a track is reported in
  int64_t started_inside = 0;   // first box away from the edges, after the video's first frames
  int64_t ended_inside = 0;     // last box away from the edges, before the video's last frames
};

inline constexpr int64_t kLongTrackFrames = 30;

// `frames`: the video's length; `size`: its frame size. A box is at an edge when it comes within 5 %
// of the frame's width or height of it; the video's first and last 5 frames count as edges in time.
TrackStatistics track_statistics(const std::vector<MotRow>& rows, int64_t frames, cv::Size size);

}  // namespace stride::video
