#include "stride/video/video_file_writer.h"

#include <fmt/format.h>
#include <unistd.h>

#include "stride/core/error.h"

namespace stride::video {

VideoFileWriter::VideoFileWriter(const std::filesystem::path& path, double fps, cv::Size size)
    : path_(path), partial_(path.parent_path() / fmt::format(".{}.{}.partial.avi", path.filename().string(), getpid())) {
  if (!writer_.open(partial_.string(), cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps, size, true))
    fail("{}: cannot be written as a Motion JPEG video", path.string());
}

VideoFileWriter::~VideoFileWriter() {
  if (finished_) return;
  writer_.release();
  std::error_code ignored;
  std::filesystem::remove(partial_, ignored);
}

void VideoFileWriter::finish() {
  writer_.release();
  std::filesystem::rename(partial_, path_);
  finished_ = true;
}

}  // namespace stride::video
