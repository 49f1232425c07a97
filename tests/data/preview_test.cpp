#include "stride/data/preview.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "support/data_test_support.h"
#include "stride/core/error.h"

namespace stride::data {
namespace {

TEST(Preview, DrawsOneRowPerSubjectConditionAndView) {
  testing::TempDir dir;
  const auto png = dir / "sheet.png";
  write_preview(testing::tiny_dataset(), png, {.subjects = 2, .frames = 5, .scale = 0.25});
  const cv::Mat sheet = cv::imread(png.string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(sheet.empty());
  // 2 subjects x 3 conditions x 2 views = 12 rows of 60-pixel tiles with 2-pixel gaps; a 136-pixel
  // label column and 5 tiles of 80 pixels.
  EXPECT_EQ(sheet.rows, 12 * 62 + 2);
  EXPECT_EQ(sheet.cols, 136 + 5 * 82 + 2);
  // Every tile shows some of a walker (silhouettes are white): the first tile of the first row.
  EXPECT_GT(cv::countNonZero(sheet(cv::Rect(138, 2, 80, 60)) == 255), 20);

  testing::expect_error_naming([&] { write_preview(dir / "none", dir / "x.png"); }, (dir / "none").string());
  EXPECT_THROW(write_preview(testing::tiny_dataset(), png, {.subjects = 0}), Error);
}

// A UCI HAR folder: one row per activity (the fixture's train split has WALKING, SITTING and
// LAYING), the nine channels drawn in colour.
TEST(Preview, DrawsWindowsPerActivityOfAUciHarFolder) {
  testing::TempDir dir;
  const char* fixtures = std::getenv("STRIDE_FIXTURES");
  const auto root = std::filesystem::path(fixtures ? fixtures : "tests/fixtures") / "uci_har_mini";
  const auto png = dir / "har.png";
  write_preview(root, png, {.subjects = 2, .frames = 3, .scale = 0.25});
  const cv::Mat sheet = cv::imread(png.string(), cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(sheet.empty());
  EXPECT_EQ(sheet.channels(), 3);
  // A 24-pixel legend, 6 rows of 72-pixel tiles with 2-pixel gaps; a 190-pixel label column and 3
  // tiles of 96 pixels.
  EXPECT_EQ(sheet.rows, 24 + 6 * 74 + 2);
  EXPECT_EQ(sheet.cols, 190 + 3 * 98 + 2);
  const auto tile = [&](int row, int col) { return sheet(cv::Rect(192 + col * 98, 26 + row * 74, 96, 72)); };
  const auto coloured = [](const cv::Mat& m) {
    cv::Mat channels[3];
    cv::split(m, channels);
    return cv::countNonZero(cv::abs(channels[2] - channels[0]) > 60);  // red or blue traces, not grey
  };
  EXPECT_GT(coloured(tile(0, 0)), 50);  // WALKING
  EXPECT_GT(coloured(tile(5, 2)), 50);  // LAYING
  EXPECT_EQ(coloured(tile(1, 0)), 0);   // no WALKING_UPSTAIRS window in the split
}

}  // namespace
}  // namespace stride::data
