#include "stride/video/frame_source.h"

#include <filesystem>
#include <algorithm>
#include <iostream>
#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"

namespace stride::video {
namespace {

// A container's frame count is an estimate for some codecs; a file is called truncated only when it
// ends this far short of it.
constexpr double kTruncatedShare = 0.98;

}  // namespace

FrameSource::FrameSource(const std::string& name, cv::Size raw_size) : name_(name), raw_size_(raw_size) {
  if (name == "-") {
    if (raw_size.width <= 0 || raw_size.height <= 0)
      fail("video -: frames on standard input are raw BGR; give their size (--raw-size 640x480)");
    return;
  }
  const bool device = name.rfind("/dev/video", 0) == 0;
  if (!device && !std::filesystem::is_regular_file(name))
    fail("video {}: {}", name, std::filesystem::exists(name) ? "not a file" : "no such file");
  if (!capture_.open(name, device ? cv::CAP_V4L2 : cv::CAP_FFMPEG) || !capture_.isOpened())
    fail("video {}: cannot be opened as a video (not a video, or a codec this FFmpeg lacks)", name);
  const double fps = capture_.get(cv::CAP_PROP_FPS);
  if (fps > 0 && fps < 1000) fps_ = fps;
  if (!device) declared_ = static_cast<int64_t>(std::max(0.0, capture_.get(cv::CAP_PROP_FRAME_COUNT)));
}

bool FrameSource::next(cv::Mat& frame) {
  if (name_ == "-") {
    frame.create(raw_size_, CV_8UC3);
    const auto bytes = static_cast<std::streamsize>(frame.total() * frame.elemSize());
    std::cin.read(reinterpret_cast<char*>(frame.data), bytes);
    if (std::cin.gcount() == 0) return false;
    if (std::cin.gcount() != bytes)
      fail("video -: frame {} has {} of its {} bytes (raw BGR at {}x{})", read_ + 1, std::cin.gcount(), bytes,
           raw_size_.width, raw_size_.height);
    ++read_;
    return true;
  }
  if (!capture_.read(frame) || frame.empty()) {
    if (declared_ > 0 && read_ < kTruncatedShare * static_cast<double>(declared_))
      fail("video {}: ends after {} of the {} frames its header declares (truncated or damaged)", name_, read_,
           declared_);
    if (read_ == 0) fail("video {}: no frame could be decoded", name_);
    return false;
  }
  if (frame.type() == CV_8UC1) cv::cvtColor(frame, frame, cv::COLOR_GRAY2BGR);
  ++read_;
  return true;
}

}  // namespace stride::video
