#pragma once
// A Motion JPEG .avi written whole or not at all: frames go to a temporary file beside the target
// (keeping the .avi extension, which picks the container), renamed over it by finish(); a writer
// dropped unfinished (an error, an interruption) removes the temporary.
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

namespace stride::video {

class VideoFileWriter {
 public:
  // Throws stride::Error naming `path` when it cannot be written.
  VideoFileWriter(const std::filesystem::path& path, double fps, cv::Size size);
  ~VideoFileWriter();
  VideoFileWriter(const VideoFileWriter&) = delete;
  VideoFileWriter& operator=(const VideoFileWriter&) = delete;

  void write(const cv::Mat& bgr) { writer_.write(bgr); }
  void finish();

 private:
  std::filesystem::path path_, partial_;
  cv::VideoWriter writer_;
  bool finished_ = false;
};

}  // namespace stride::video
