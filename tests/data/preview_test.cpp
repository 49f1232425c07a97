#include "stride/data/preview.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace stride::data
