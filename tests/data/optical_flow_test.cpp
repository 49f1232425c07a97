#include "stride/data/optical_flow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"
#include "stride/data/value_noise.h"

namespace stride::data {
namespace {

// Smooth random texture (features ~6 px apart), 8-bit.
cv::Mat texture(int width, int height, uint64_t seed) {
  cv::Mat grey;
  noise_image(width, height, 6.0, seed).convertTo(grey, CV_8U, 255.0);
  return grey;
}

cv::Mat shifted(const cv::Mat& image, int dx) {
  cv::Mat out;
  const cv::Mat move = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, 0);
  cv::warpAffine(image, out, move, image.size(), cv::INTER_NEAREST, cv::BORDER_REFLECT);
  return out;
}

float median(cv::Mat values) {
  std::vector<float> v(values.begin<float>(), values.end<float>());
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

TEST(OpticalFlow, MeasuresAKnownTranslation) {
  const cv::Mat a = texture(160, 120, 5);
  const cv::Mat flow = dense_flow(a, shifted(a, 2));
  ASSERT_EQ(flow.type(), CV_32FC2);
  cv::Mat parts[2];
  cv::split(flow(cv::Rect(20, 20, 120, 80)), parts);  // away from the borders
  EXPECT_NEAR(median(parts[0].clone()), 2.0f, 0.1f);
  EXPECT_NEAR(median(parts[1].clone()), 0.0f, 0.1f);
  EXPECT_THROW(dense_flow(a, cv::Mat::zeros(10, 10, CV_8UC1)), Error);
}

// A textured 40x80 "walker" moving 2 px per frame over a static textured background.
std::vector<cv::Mat> moving_patch(int frames) {
  const cv::Mat background = texture(320, 240, 1), walker = texture(40, 80, 2) / 2 + 128;
  std::vector<cv::Mat> seq;
  for (int f = 0; f < frames; ++f) {
    cv::Mat frame = background.clone();
    walker.copyTo(frame(cv::Rect(100 + 2 * f, 80, 40, 80)));
    seq.push_back(frame);
  }
  return seq;
}

TEST(OpticalFlow, FollowsTheWalkerThroughTheSequence) {
  const Tensor stack = flow_sequence(moving_patch(26), 60, "moving patch");
  ASSERT_EQ(stack.shape(), (Shape{50, 60, 60}));
  // The moving region is 80 rows tall, so the crop side is 96 and flow scales by 60 / 96: a 2-pixel
  // step reads 1.25 in the middle of the crop, where only the walker is.
  const auto v = stack.values<float>();
  for (int t : {0, 12, 24}) {
    cv::Mat x(60, 60, CV_32FC1, const_cast<float*>(v.data()) + (2 * t) * 3600);
    cv::Mat y(60, 60, CV_32FC1, const_cast<float*>(v.data()) + (2 * t + 1) * 3600);
    EXPECT_NEAR(median(x(cv::Rect(24, 20, 12, 20)).clone()), 1.25f, 0.15f) << "frame " << t;
    EXPECT_NEAR(median(y(cv::Rect(24, 20, 12, 20)).clone()), 0.0f, 0.15f) << "frame " << t;
  }
}

TEST(OpticalFlow, WindowsCycleShortSequences) {
  const Tensor sequence = flow_sequence(moving_patch(4), 30, "short");
  ASSERT_EQ(sequence.shape(), (Shape{6, 30, 30}));
  const Tensor window = flow_window(sequence, 5, 1);
  ASSERT_EQ(window.shape(), (Shape{10, 30, 30}));
  const auto s = sequence.values<float>();
  const auto w = window.values<float>();
  // Window fields 0, 1 are sequence fields 1, 2; field 2 wraps round to sequence field 0.
  EXPECT_TRUE(std::equal(s.begin() + 2 * 900, s.end(), w.begin()));
  EXPECT_TRUE(std::equal(s.begin(), s.begin() + 2 * 900, w.begin() + 4 * 900));
  EXPECT_THROW(flow_window(sequence, 0, 0), Error);
  EXPECT_THROW(flow_window(Tensor(DType::f32, {3, 30, 30}), 1, 0), Error);
}

TEST(OpticalFlow, RefusesStillAndMalformedSequences) {

  const std::vector<cv::Mat> still(5, texture(64, 64, 3));
  try {
    flow_sequence(still, 60, "frozen/seq");
    ADD_FAILURE() << "a still sequence has no walker";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("frozen/seq"), std::string::npos) << e.what();
  }
  EXPECT_THROW(flow_sequence({still[0]}, 60, "one frame"), Error);
  EXPECT_THROW(flow_sequence({still[0], texture(32, 32, 1)}, 60, "sizes"), Error);
  EXPECT_THROW(flow_sequence(still, 4, "tiny crop"), Error);
}

TEST(OpticalFlow, ConvertsToTheThreeDLayout) {
  std::vector<float> values(2 * 2 * 2 * 3);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  const Tensor thwc = flow_stack_to_thwc(Tensor::from_vector<float>({4, 2, 3}, values));  // T=2, H=2, W=3
  ASSERT_EQ(thwc.shape(), (Shape{2, 2, 3, 2}));
  const auto v = thwc.values<float>();
  // [t=1, h=0, w=2, c=1] comes from channel 2*1+1 = 3, pixel (0, 2): 3 * 6 + 2 = 20.
  EXPECT_EQ(v[((1 * 2 + 0) * 3 + 2) * 2 + 1], 20.0f);
  // [t=0, h=1, w=0, c=0] comes from channel 0, pixel (1, 0): 3.
  EXPECT_EQ(v[((0 * 2 + 1) * 3 + 0) * 2 + 0], 3.0f);
  EXPECT_THROW(flow_stack_to_thwc(Tensor(DType::f32, {3, 2, 2})), Error);
}

}  // namespace
}  // namespace stride::data
