#include "stride/data/image_file.h"

#include <png.h>

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

namespace {

// Larger frames are refused before any allocation: a corrupt or hostile header must not make the
// loader ask for gigabytes. 2^28 pixels is 16384 x 16384, far above any gait camera.
constexpr uint64_t kMaxPixels = uint64_t{1} << 28;

// Frees libpng's state on every path out.
struct PngImage {
  png_image image{};
  PngImage() { image.version = PNG_IMAGE_VERSION; }
  ~PngImage() { png_image_free(&image); }
};

}  // namespace

// libpng's simplified API keeps its errors in image.message instead of printing them (OpenCV's PNG
// decoder lets libpng print "libpng error: ..." lines on stderr before its own failure).
cv::Mat read_grey_image(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) fail("image {} does not exist or is not a file", path.string());
  PngImage png;
  if (!png_image_begin_read_from_file(&png.image, path.c_str()))
    fail("cannot read image {}: not a PNG file or corrupt ({})", path.string(), png.image.message);
  if (png.image.format & PNG_FORMAT_FLAG_LINEAR) fail("image {} has 16-bit samples, expected 8-bit", path.string());
  if (uint64_t{png.image.width} * png.image.height > kMaxPixels)
    fail("image {} is {}x{}: too large for a frame (at most {} pixels)", path.string(), png.image.width,
         png.image.height, kMaxPixels);
  // Colour is read as BGR and converted as before (OpenCV's weights); alpha is dropped onto black.
  const bool colour = (png.image.format & PNG_FORMAT_FLAG_COLOR) != 0;
  png.image.format = colour ? PNG_FORMAT_BGR : PNG_FORMAT_GRAY;
  cv::Mat image(static_cast<int>(png.image.height), static_cast<int>(png.image.width), colour ? CV_8UC3 : CV_8UC1);
  if (!png_image_finish_read(&png.image, nullptr, image.data, static_cast<png_int_32>(image.step), nullptr))
    fail("cannot read image {}: corrupt ({})", path.string(), png.image.message);
  if (!colour) return image;
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  return grey;
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
