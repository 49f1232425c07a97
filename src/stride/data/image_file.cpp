#include "stride/data/image_file.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <system_error>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::data {

void write_png(const std::filesystem::path& path, const cv::Mat& image) {
  std::vector<uint8_t> encoded;
  if (!cv::imencode(".png", image, encoded)) fail("cannot encode {} as PNG", path.string());
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(encoded.data()), encoded.size()));
}

cv::Mat read_grey_image(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail("image {} does not exist or is not a file", path.string());
  const cv::Mat image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  if (image.empty()) fail("cannot read image {}: not a PNG/JPEG file or corrupt", path.string());
  if (image.depth() != CV_8U) fail("image {} has {}-bit samples, expected 8-bit", path.string(), 8 * image.elemSize1());
  switch (image.channels()) {
    case 1:
      return image;
    case 3: {
      cv::Mat grey;
      cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
      return grey;
    }
    case 4: {
      cv::Mat grey;
      cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
      return grey;
    }
    default:
      fail("image {} has {} channels, expected 1 (grey) or 3 (colour)", path.string(), image.channels());
  }
}

std::vector<cv::Mat> read_grey_sequence(const std::vector<std::filesystem::path>& frames) {
  std::vector<cv::Mat> images;
  for (const auto& path : frames) {
    images.push_back(read_grey_image(path));
    if (images.back().size() != images.front().size())
      fail("frame {} is {}x{}, expected {}x{} like the first frame of the sequence", path.string(), images.back().cols,
           images.back().rows, images.front().cols, images.front().rows);
  }
  return images;
}

}  // namespace stride::data
