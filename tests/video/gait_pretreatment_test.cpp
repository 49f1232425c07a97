#include "stride/video/gait_pretreatment.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"

namespace stride::video {
namespace {

TEST(GaitPretreatment, CropsScalesAndCentresTheBody) {
  // A 120-row, 30-column body off-centre in a 240x320 frame: 64 rows after scaling, 16 columns,
  // centred in the 44 kept: 14 empty columns either side.
  cv::Mat mask = cv::Mat::zeros(240, 320, CV_8UC1);
  mask(cv::Rect(200, 50, 30, 120)).setTo(255);
  const auto out = gaitset_pretreatment(mask);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->rows, 64);
  EXPECT_EQ(out->cols, 44);
  EXPECT_EQ(out->type(), CV_32FC1);
  cv::Mat columns;
  cv::reduce(*out, columns, 0, cv::REDUCE_SUM);
  int first = -1, last = -1;
  for (int x = 0; x < columns.cols; ++x)
    if (columns.at<float>(0, x) > 0) {
      if (first < 0) first = x;
      last = x;
    }
  EXPECT_NEAR(first, 44 - 1 - last, 1) << "the body is centred";
  EXPECT_NEAR(last - first + 1, 16, 2);
  // Every row holds the body: it was cropped to its rows before scaling.
  for (int y = 0; y < 64; ++y) EXPECT_GT(cv::countNonZero(out->row(y)), 0) << "row " << y;
  EXPECT_FLOAT_EQ(out->at<float>(32, 22), 1.0f);
}

TEST(GaitPretreatment, DropsFramesWithTooLittleForeground) {
  cv::Mat mask = cv::Mat::zeros(240, 320, CV_8UC1);
  mask(cv::Rect(100, 100, 6, 6)).setTo(255);  // 36 pixels: a sum of 9180 <= 10000
  EXPECT_FALSE(gaitset_pretreatment(mask).has_value());
  mask(cv::Rect(100, 100, 7, 7)).setTo(255);  // 49 pixels: 12495
  EXPECT_TRUE(gaitset_pretreatment(mask).has_value());
  EXPECT_THROW(gaitset_pretreatment(cv::Mat::zeros(10, 10, CV_32FC1)), Error);
}

TEST(GaitPretreatment, ABodyCentredNearItsEdgeIsPaddedWithZeros) {
  // A bar on the left with a long foot: 1000 of the 1900 pixels in the first 10 columns, so the
  // mass is halved in column 9 of 100 (5 of 64 scaled); the window reaches past the left edge.
  cv::Mat mask = cv::Mat::zeros(100, 100, CV_8UC1);
  mask(cv::Rect(0, 0, 10, 100)).setTo(255);
  mask(cv::Rect(0, 90, 100, 10)).setTo(255);
  const auto out = gaitset_pretreatment(mask);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->cols, 44);
  // The 64-column window starts 27 columns left of the image (32 padded, then 5): after the
  // 10-column cut, the body's left edge is output column 17 and everything left of it is padding.
  int first = -1;
  for (int x = 0; x < out->cols && first < 0; ++x)
    if (cv::countNonZero(out->col(x) > 0.5) > 0) first = x;
  EXPECT_NEAR(first, 17, 1);
}

}  // namespace
}  // namespace stride::video
