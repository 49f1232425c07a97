#include "stride/data/image_file.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <system_error>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/data/image_header.h"

namespace stride::data {

void write_png(const std::filesystem::path& path, const cv::Mat& image) {
  std::vector<uint8_t> encoded;
  if (!cv::imencode(".png", image, encoded)) fail("cannot encode {} as PNG", path.string());
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(encoded.data()), encoded.size()));
}

cv::Mat read_grey_image(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail("image {} does not exist or is not a file", path.string());
  // Checked before decoding: only PNG and JPEG reach OpenCV, and never a size that would make it
  // allocate gigabytes for a damaged header.
  // A frame of kMaxImagePixels is at most a few hundred MB even uncompressed; a larger file is not
  // a frame, and OpenCV takes buffers of at most INT_MAX bytes.
  constexpr uintmax_t kMaxFileBytes = uintmax_t{256} << 20;
  if (const uintmax_t size = std::filesystem::file_size(path, error); !error && size > kMaxFileBytes)
    fail("image {} is {} bytes; frames are at most {} MiB", path.string(), size, kMaxFileBytes >> 20);
  const std::string bytes = read_file(path);
  read_image_header(bytes, path.string());
  cv::Mat image;
  try {
    image = cv::imdecode(cv::_InputArray(reinterpret_cast<const uchar*>(bytes.data()), static_cast<int>(bytes.size())),
                         cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    fail("cannot decode image {}: {}", path.string(), e.err);
  }
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

}  // namespace stride::data
