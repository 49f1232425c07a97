#pragma once
// Frames as they come, one at a time, from a video file, a camera, or raw frames on standard input:
// nothing holds more than the current frame, so a stream of any length runs in constant memory.
#include <cstdint>
#include <istream>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <string>

namespace stride::video {

class FrameSource {
 public:
  // `name`: a video file, a camera device (/dev/videoN), or "-" for raw 8-bit BGR frames of
  // `raw_size` (width x height) on standard input, one after the other. Throws stride::Error with
  // one line when it cannot be opened (no such file, not a video, a codec FFmpeg lacks) or when
  // "-" comes without a size.
  explicit FrameSource(const std::string& name, cv::Size raw_size = {});

  // The next frame (CV_8UC3 BGR), or false at the end of the stream. Throws stride::Error when a
  // file ends well before the frame count its header declares (truncated or damaged).
  bool next(cv::Mat& frame);

  double fps() const { return fps_; }             // 25 when the source does not say
  int64_t frames_read() const { return read_; }
  int64_t declared_frames() const { return declared_; }  // 0 when unknown (cameras, stdin)
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  cv::VideoCapture capture_;
  cv::Size raw_size_;
  double fps_ = 25.0;
  int64_t read_ = 0;
  int64_t declared_ = 0;
};

}  // namespace stride::video
