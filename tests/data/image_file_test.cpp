// read_grey_image and the silhouette loader on damaged frames: every one ends in a one-line
// stride::Error naming the file (or, for alignment, a skipped frame), never in an OpenCV exception
// or a decoder asked for gigabytes. The byte strings are inputs the frame-loader fuzzer found.
#include "stride/data/image_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "stride/core/error.h"
#include "stride/data/silhouette_align.h"
#include "support/data_test_support.h"

namespace stride::data {
namespace {

using ::testing::HasSubstr;

std::filesystem::path write_bytes(const testing::TempDir& dir, const std::string& bytes) {
  const std::filesystem::path path = dir / "001.png";
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

void expect_refused(const std::string& bytes, const std::string& why) {
  const testing::TempDir dir;
  const std::filesystem::path path = write_bytes(dir, bytes);
  try {
    read_grey_image(path);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(path.string()));
    EXPECT_THAT(e.what(), HasSubstr(why));
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

// A PNG signature and IHDR chunk of the given size (no image data; the CRC is not checked before
// the size is).
std::string png_header(uint32_t width, uint32_t height) {
  std::string bytes("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  for (uint32_t v : {width, height})
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((v >> shift) & 0xff);
  return bytes + std::string("\x08\x00\x00\x00\x00\x00\x00\x00\x00", 9);
}

// fuzz_frame_loader, crash-dbefeecf: a 45-byte Sun raster header claiming 16 x 16,776,716 pixels.
// OpenCV's size check threw cv::Exception out of cv::imread, past the loader.
TEST(ReadGreyImage, RefusesOtherFormatsThanPngAndJpeg) {
  const unsigned char sun_raster[] = {0x59, 0xa6, 0x6a, 0x95, 0x00, 0x00, 0x00, 0x10, 0x00, 0xff, 0xfe, 0x0c,
                                      0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x01,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,
                                      0x28, 0x00, 0x00, 0x00, 0x89, 0x49, 0x44, 0x00, 0x2d};
  expect_refused(std::string(reinterpret_cast<const char*>(sun_raster), sizeof sun_raster), "not a PNG or JPEG");
  expect_refused("BM", "not a PNG or JPEG");
  expect_refused("", "not a PNG or JPEG");
}

TEST(ReadGreyImage, RefusesAbsurdSizesBeforeDecoding) {
  expect_refused(png_header(100000, 100000), "100000x100000");
  expect_refused(png_header(0, 10), "0x10");
  expect_refused(png_header(20, 10).substr(0, 20), "IHDR");
  // A JPEG whose frame header (SOF0) says 60000 x 60000: the height comes before the width.
  const std::string jpeg("\xff\xd8\xff\xc0\x00\x11\x08\xea\x60\xea\x60\x03\x01\x11\x00\x02\x11\x01\x03\x11\x01", 21);
  expect_refused(jpeg, "60000x60000");
  expect_refused(std::string("\xff\xd8\xff\xe0\x00\x10JFIF", 10), "JPEG");
}

TEST(ReadGreyImage, StillReadsPngAndJpegFrames) {
  const testing::TempDir dir;
  const cv::Mat frame = testing::rectangle_frame(10, 20, 15, 30);
  for (const std::string name : {"001.png", "002.jpg"}) {
    ASSERT_TRUE(cv::imwrite((dir / name).string(), frame));
    const cv::Mat back = read_grey_image(dir / name);
    EXPECT_EQ(back.size(), frame.size()) << name;
    EXPECT_EQ(back.type(), CV_8UC1) << name;
  }
  EXPECT_EQ(cv::norm(read_grey_image(dir / "001.png"), frame, cv::NORM_INF), 0.0);
}

// A body two rows tall across 3,000 columns would be scaled to 96,000 columns; on a 1-row frame a
// million pixels wide (a 1 kB PNG) it was 64 million, and the decoder's allocation gigabytes.
TEST(SilhouetteAlign, SkipsABodyTooFlatForItsWidth) {
  const cv::Mat flat(2, 3000, CV_8UC1, cv::Scalar(255));
  EXPECT_FALSE(align_silhouette(flat).has_value());
  const cv::Mat narrower(2, 1000, CV_8UC1, cv::Scalar(255));  // 32,000 columns: still aligned
  EXPECT_TRUE(align_silhouette(narrower).has_value());
}

}  // namespace
}  // namespace stride::data
