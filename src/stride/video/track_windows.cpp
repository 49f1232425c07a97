#include "stride/video/track_windows.h"

#include <cstring>
#include <opencv2/core.hpp>

#include "stride/core/error.h"

namespace stride::video {

std::vector<TrackWindow> track_windows(const std::map<int64_t, TrackWalk>& walks, int64_t frames) {
  if (frames < 1) fail("track windows of {} frames; expected at least 1", frames);
  std::vector<TrackWindow> windows;
  for (const auto& [id, walk] : walks) {
    const bool leftwards = walk.last_centre_x < walk.first_centre_x;
    for (size_t start = 0; start + static_cast<size_t>(frames) <= walk.silhouettes.size();
         start += static_cast<size_t>(frames)) {
      const cv::Mat& first = walk.silhouettes[start];
      TrackWindow w{id, walk.frames[start], walk.frames[start + static_cast<size_t>(frames) - 1],
                    Tensor(DType::f32, {frames, first.rows, first.cols})};
      const size_t plane = first.total();
      for (int64_t i = 0; i < frames; ++i) {
        cv::Mat frame = walk.silhouettes[start + static_cast<size_t>(i)];
        if (leftwards) cv::flip(frame, frame, 1);
        std::memcpy(w.silhouettes.data<float>() + static_cast<size_t>(i) * plane, frame.ptr<float>(),
                    plane * sizeof(float));
      }
      windows.push_back(std::move(w));
    }
  }
  return windows;
}

}  // namespace stride::video
