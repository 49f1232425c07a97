#include "stride/video/gait_pretreatment.h"

#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"

namespace stride::video {
namespace {

constexpr double kMinPixelSum = 10000;  // of 0..255 values
constexpr int kHeight = 64, kWidth = 64, kCut = 10;

}  // namespace

std::optional<cv::Mat> gaitset_pretreatment(const cv::Mat& mask) {
  if (mask.type() != CV_8UC1) fail("gaitset_pretreatment: expected an 8-bit single-channel mask");
  if (cv::sum(mask)[0] <= kMinPixelSum) return std::nullopt;
  int top = mask.rows, bottom = -1;
  for (int y = 0; y < mask.rows; ++y)
    if (cv::countNonZero(mask.row(y)) > 0) {
      top = std::min(top, y);
      bottom = y;
    }
  const cv::Mat body = mask.rowRange(top, bottom + 1);
  const int width = static_cast<int>(kHeight * static_cast<double>(body.cols) / body.rows);  // int(64 * ratio)
  if (width < 1) return std::nullopt;
  cv::Mat scaled;
  cv::resize(body, scaled, cv::Size(width, kHeight), 0, 0, cv::INTER_CUBIC);

  // The first column where the running column sum passes half the total.
  cv::Mat column_sums;
  cv::reduce(scaled, column_sums, 0, cv::REDUCE_SUM, CV_64F);
  const double half = cv::sum(column_sums)[0] / 2;
  int centre = -1;
  double running = 0;
  for (int x = 0; x < column_sums.cols && centre < 0; ++x) {
    running += column_sums.at<double>(0, x);
    if (running > half) centre = x;
  }
  if (centre <= 0) return std::nullopt;  // the reference drops a centre of 0 (its `if not x_center`)

  // 64 columns around the centre, zero-padded by half a window on both sides when they leave the image.
  int left = centre - kWidth / 2, right = centre + kWidth / 2;
  cv::Mat source = scaled;
  if (left <= 0 || right >= scaled.cols) {
    cv::copyMakeBorder(scaled, source, 0, 0, kWidth / 2, kWidth / 2, cv::BORDER_CONSTANT, 0);
    left += kWidth / 2;
    right += kWidth / 2;
  }
  if (right > source.cols) return std::nullopt;
  cv::Mat out;
  source.colRange(left + kCut, right - kCut).convertTo(out, CV_32F, 1.0 / 255.0);
  return out;
}

}  // namespace stride::video
