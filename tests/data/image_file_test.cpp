// read_grey_image and the silhouette loader on damaged frames: every one ends in a one-line
// stride::Error naming the file (or, for alignment, a skipped frame), never in an OpenCV exception
// or a decoder asked for gigabytes. The byte strings are inputs the frame-loader fuzzer found.
#include "stride/data/image_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <string_view>

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

// `why`, when not empty, must be part of the message.
void expect_refused(const std::string& bytes, const std::string& why = "") {
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

uint32_t crc32(std::string_view bytes) {
  uint32_t crc = 0xffffffffu;
  for (const unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string big_endian(uint32_t v) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
  return out;
}

std::string png_chunk(const std::string& type, const std::string& data) {
  return big_endian(static_cast<uint32_t>(data.size())) + type + data + big_endian(crc32(type + data));
}

// A well-formed PNG of the given size, 8-bit grey, except that its (empty) IDAT holds no pixels:
// whatever reads it must refuse it on its size, from the header, before it allocates.
std::string png_of_size(uint32_t width, uint32_t height) {
  return std::string("\x89PNG\r\n\x1a\n", 8) +
         png_chunk("IHDR", big_endian(width) + big_endian(height) + std::string("\x08\0\0\0\0", 5)) +
         png_chunk("IDAT", "") + png_chunk("IEND", "");
}

// fuzz_frame_loader, crash-dbefeecf: a 45-byte Sun raster header claiming 16 x 16,776,716 pixels.
// OpenCV's size check threw cv::Exception out of cv::imread, past the loader.
TEST(ReadGreyImage, RefusesOtherFormatsThanPng) {
  const unsigned char sun_raster[] = {0x59, 0xa6, 0x6a, 0x95, 0x00, 0x00, 0x00, 0x10, 0x00, 0xff, 0xfe, 0x0c,
                                      0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x01,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,
                                      0x28, 0x00, 0x00, 0x00, 0x89, 0x49, 0x44, 0x00, 0x2d};
  expect_refused(std::string(reinterpret_cast<const char*>(sun_raster), sizeof sun_raster), "not a PNG");
  expect_refused("BM", "not a PNG");
  expect_refused("", "not a PNG");
}

TEST(ReadGreyImage, RefusesAbsurdSizesBeforeDecoding) {
  expect_refused(png_of_size(100000, 100000), "100000x100000");
  expect_refused(png_of_size(0, 10));
  expect_refused(png_of_size(20, 10).substr(0, 20));  // cut inside IHDR
}

TEST(ReadGreyImage, StillReadsPngFrames) {
  const testing::TempDir dir;
  const cv::Mat frame = testing::rectangle_frame(10, 20, 15, 30);
  ASSERT_TRUE(cv::imwrite((dir / "001.png").string(), frame));
  EXPECT_EQ(cv::norm(read_grey_image(dir / "001.png"), frame, cv::NORM_INF), 0.0);
  cv::Mat colour;
  cv::cvtColor(frame, colour, cv::COLOR_GRAY2BGR);
  ASSERT_TRUE(cv::imwrite((dir / "002.png").string(), colour));
  EXPECT_EQ(cv::norm(read_grey_image(dir / "002.png"), frame, cv::NORM_INF), 0.0);
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
