#pragma once
// The tracks drawn over a frame, for a person to look at: each track's mask tinted in a colour of
// its own, its box, and its id.
#include <opencv2/core.hpp>
#include <vector>

#include "stride/video/people_tracker.h"

namespace stride::video {

// Draws `people` onto `frame` (CV_8UC3) in place.
void draw_tracks(cv::Mat& frame, const std::vector<TrackedPerson>& people);

}  // namespace stride::video
