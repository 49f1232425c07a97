#include "stride/data/silhouette_align.h"

#include <gtest/gtest.h>

#include "support/data_test_support.h"
#include "stride/core/error.h"

namespace stride::data {
namespace {

using testing::rectangle_frame;

// Expects `aligned` to be 1 exactly in columns [first, last] of every row and 0 elsewhere.
void expect_columns(const cv::Mat& aligned, int first, int last) {
  ASSERT_EQ(aligned.rows, kAlignedHeight);
  ASSERT_EQ(aligned.cols, kAlignedWidth);
  for (int y = 0; y < aligned.rows; ++y)
    for (int x = 0; x < aligned.cols; ++x)
      ASSERT_FLOAT_EQ(aligned.at<float>(y, x), x >= first && x <= last ? 1.0f : 0.0f) << "at y=" << y << " x=" << x;
}

TEST(SilhouetteAlign, CropsScalesAndCentresARectangle) {
  // 128 rows x 22 columns at x = 100: cropping to the rows and scaling to 64 rows halves everything,
  // so the 320-wide frame becomes 160 wide with the body in columns 50..60, centroid 55. The 44
  // columns centred there are 33..76, which puts the body in output columns 17..27.
  const auto aligned = align_silhouette(rectangle_frame(100, 50, 22, 128));
  ASSERT_TRUE(aligned);
  expect_columns(*aligned, 17, 27);
}

TEST(SilhouetteAlign, CentresOnTheCentroidNotTheBoxAndPadsAtTheBorder) {
  // Full-height bar at x = 100 (-> column 50, 64 rows) and a half-height bar at x = 140 (-> column
  // 70, rows 32..63): centroid (50 * 64 + 70 * 32) / 96 = 56.67 -> 57, window 35..78.
  cv::Mat frame = rectangle_frame(100, 50, 2, 128);
  frame(cv::Rect(140, 114, 2, 64)).setTo(255);
  const auto aligned = align_silhouette(frame);
  ASSERT_TRUE(aligned);
  EXPECT_FLOAT_EQ(aligned->at<float>(10, 15), 1.0f);
  EXPECT_FLOAT_EQ(aligned->at<float>(40, 35), 1.0f);
  EXPECT_FLOAT_EQ(aligned->at<float>(10, 35), 0.0f);
  EXPECT_FLOAT_EQ(cv::sum(*aligned)[0], 96.0f);

  // At the left edge the window reaches outside the frame and is padded with background.
  const auto edge = align_silhouette(rectangle_frame(0, 50, 22, 128));
  ASSERT_TRUE(edge);
  expect_columns(*edge, 17, 27);
}

TEST(SilhouetteAlign, ScalesSmallBodiesUp) {
  // 32 rows become 64: everything doubles, the 5 columns at x = 100 become columns 200..209 of 640,
  // centroid 204.5 -> 205 (rounded half away from zero), window 183..226 -> output columns 17..26.
  const auto aligned = align_silhouette(rectangle_frame(100, 10, 5, 32));
  ASSERT_TRUE(aligned);
  EXPECT_NEAR(cv::sum(*aligned)[0], 64.0 * 10.0, 1e-3);
  EXPECT_FLOAT_EQ(aligned->at<float>(30, 17), 1.0f);
  EXPECT_FLOAT_EQ(aligned->at<float>(30, 26), 1.0f);
  EXPECT_FLOAT_EQ(aligned->at<float>(30, 27), 0.0f);
}

TEST(SilhouetteAlign, SkipsEmptyFrames) {
  EXPECT_FALSE(align_silhouette(cv::Mat::zeros(240, 320, CV_8UC1)));
  EXPECT_FALSE(align_silhouette(rectangle_frame(10, 10, 3, 3)));  // 9 pixels of noise
  const std::vector<cv::Mat> frames{rectangle_frame(100, 50, 22, 128), cv::Mat::zeros(240, 320, CV_8UC1)};
  EXPECT_EQ(align_silhouettes(frames).size(), 1u);
  EXPECT_THROW(align_silhouette(cv::Mat::zeros(240, 320, CV_32FC1)), Error);
}

TEST(SilhouetteAlign, ClipsCycleThroughShortSequences) {
  std::vector<cv::Mat> aligned;
  for (float v : {0.1f, 0.2f, 0.3f}) aligned.emplace_back(kAlignedHeight, kAlignedWidth, CV_32FC1, cv::Scalar(v));
  const Tensor clip = silhouette_clip(aligned, 7, 1);
  ASSERT_EQ(clip.shape(), (Shape{7, kAlignedHeight, kAlignedWidth}));
  const float expected[7] = {0.2f, 0.3f, 0.1f, 0.2f, 0.3f, 0.1f, 0.2f};
  const auto values = clip.values<float>();
  for (int i = 0; i < 7; ++i) {
    EXPECT_FLOAT_EQ(values[i * kAlignedHeight * kAlignedWidth], expected[i]);
    EXPECT_FLOAT_EQ(values[(i + 1) * kAlignedHeight * kAlignedWidth - 1], expected[i]);
  }
  EXPECT_THROW(silhouette_clip({}, 30, 0), Error);
  EXPECT_THROW(silhouette_clip({cv::Mat::zeros(10, 10, CV_32FC1)}, 30, 0), Error);
}

}  // namespace
}  // namespace stride::data
