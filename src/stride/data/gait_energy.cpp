#include "stride/data/gait_energy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"
#include "stride/data/silhouette_align.h"  // kAlignedHeight

namespace stride::data {

Tensor gait_energy_image(const std::vector<cv::Mat>& aligned) {
  if (aligned.empty()) fail("gait energy image of an empty sequence");
  const cv::Size size = aligned.front().size();
  cv::Mat sum = cv::Mat::zeros(size, CV_64FC1);
  for (const cv::Mat& frame : aligned) {
    if (frame.type() != CV_32FC1 || frame.size() != size)
      fail("gait energy image: frames must all be {}x{} float images", size.height, size.width);
    cv::Mat wide;
    frame.convertTo(wide, CV_64F);
    sum += wide;
  }
  Tensor gei(DType::f32, {size.height, size.width});
  cv::Mat out(size, CV_32FC1, gei.data<float>());
  sum.convertTo(out, CV_32F, 1.0 / static_cast<double>(aligned.size()));
  return gei;
}

int gait_period(const std::vector<cv::Mat>& aligned, int min_period) {
  const int n = static_cast<int>(aligned.size());
  int best = 0;
  double best_difference = std::numeric_limits<double>::infinity();
  for (int lag = std::max(1, min_period); lag <= n / 2; ++lag) {
    double difference = 0;
    for (int i = 0; i + lag < n; ++i) difference += cv::norm(aligned[i], aligned[i + lag], cv::NORM_L1);
    difference /= n - lag;
    if (difference < best_difference) {
      best_difference = difference;
      best = lag;
    }
  }
  return best;
}

Tensor gait_energy_image_over_cycles(const std::vector<cv::Mat>& aligned) {
  if (aligned.empty()) fail("gait energy image of an empty sequence");
  const int period = gait_period(aligned);
  const size_t n = aligned.size();
  const size_t used = period > 0 ? n / period * period : n;
  return gait_energy_image({aligned.begin(), aligned.begin() + static_cast<std::ptrdiff_t>(used)});
}

int gait_energy_columns(int height, int width) {
  if (height < 1 || width < 1) fail("a gait energy image of {}x{}: expected a positive size", height, width);
  return std::max(1, static_cast<int>(std::lround(static_cast<double>(kAlignedHeight) * width / height)));
}

Tensor gait_energy_input(const std::vector<cv::Mat>& aligned, int height, int width) {
  if (height < 1 || width < 1) fail("a gait energy image of {}x{}: expected a positive size", height, width);
  Tensor gei = gait_energy_image_over_cycles(aligned);
  if (gei.dim(0) == height && gei.dim(1) == width) return gei;
  const cv::Mat native(static_cast<int>(gei.dim(0)), static_cast<int>(gei.dim(1)), CV_32FC1, gei.data<float>());
  Tensor resized(DType::f32, {height, width});
  cv::Mat out(height, width, CV_32FC1, resized.data<float>());
  cv::resize(native, out, out.size(), 0, 0, cv::INTER_AREA);
  return resized;
}

}  // namespace stride::data
