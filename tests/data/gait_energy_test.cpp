#include "stride/data/gait_energy.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"

namespace stride::data {
namespace {

cv::Mat constant(float value) { return cv::Mat(4, 3, CV_32FC1, cv::Scalar(value)); }

TEST(GaitEnergy, IsTheMeanOfTheFrames) {
  cv::Mat a = constant(0.0f), b = constant(1.0f), c = constant(0.5f);
  a.at<float>(2, 1) = 1.0f;
  const Tensor gei = gait_energy_image({a, b, c});
  ASSERT_EQ(gei.shape(), (Shape{4, 3}));
  const auto v = gei.values<float>();
  EXPECT_FLOAT_EQ(v[0], 0.5f);                 // (0 + 1 + 0.5) / 3
  EXPECT_FLOAT_EQ(v[2 * 3 + 1], 2.5f / 3.0f);  // (1 + 1 + 0.5) / 3
  EXPECT_THROW(gait_energy_image({}), Error);
  EXPECT_THROW(gait_energy_image({constant(0.0f), cv::Mat::zeros(5, 3, CV_32FC1)}), Error);
}

// A bar whose width follows a triangle wave with a period of 10 frames.
std::vector<cv::Mat> periodic_sequence(int frames) {
  std::vector<cv::Mat> seq;
  for (int i = 0; i < frames; ++i) {
    cv::Mat f = cv::Mat::zeros(64, 44, CV_32FC1);
    const int phase = i % 10, width = 4 + 2 * std::min(phase, 10 - phase);
    f(cv::Rect(22 - width / 2, 0, width, 64)).setTo(1.0f);
    seq.push_back(f);
  }
  return seq;
}

TEST(GaitEnergy, FindsThePeriodAndAveragesWholeCycles) {
  const std::vector<cv::Mat> seq = periodic_sequence(35);
  EXPECT_EQ(gait_period(seq), 10);
  // 35 frames hold three whole periods: the GEI is the mean of the first 30 frames only.
  const Tensor over_cycles = gait_energy_image_over_cycles(seq);
  const Tensor first_30 = gait_energy_image({seq.begin(), seq.begin() + 30});
  EXPECT_EQ(over_cycles, first_30);
  EXPECT_NE(over_cycles, gait_energy_image(seq));
  // Column 15 is covered only at the widest phase (width 14): one frame in ten.
  EXPECT_FLOAT_EQ(over_cycles.values<float>()[22 - 7], 0.1f);
  EXPECT_EQ(gait_period(periodic_sequence(8)), 0);  // too short to see a period of 6 or more
}

}  // namespace
}  // namespace stride::data
