#pragma once
// A track's walk cut into windows a gait model judges one at a time: consecutive runs of normalised
// silhouettes, each the length of the model's clip. Walks are mirrored to one direction first: the
// datasets film their 90° view with walkers going left to right, and a gait model has no reason to
// know a walker seen going the other way.
#include <cstdint>
#include <map>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/video/track_video.h"

namespace stride::video {

struct TrackWindow {
  int64_t track = 0;
  int64_t first_frame = 0, last_frame = 0;  // video frames (from 1) of its first and last silhouette
  Tensor silhouettes;                       // f32 [frames, 64, 44], left to right
};

// Windows of `frames` consecutive silhouettes of each walk (a shorter remainder is dropped; a walk
// shorter than one window gives none), in track and frame order. Throws stride::Error when
// `frames` < 1.
std::vector<TrackWindow> track_windows(const std::map<int64_t, TrackWalk>& walks, int64_t frames);

}  // namespace stride::video
