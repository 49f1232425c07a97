#include "stride/data/silhouette_align.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"

namespace stride::data {

std::optional<cv::Mat> align_silhouette(const cv::Mat& frame, int aligned_width) {
  if (frame.type() != CV_8UC1) fail("align_silhouette: expected an 8-bit single-channel frame");
  if (aligned_width < 1 || aligned_width > kMaxScaledWidth)
    fail("align_silhouette: a width of {} columns; expected 1 to {}", aligned_width, kMaxScaledWidth);
  if (cv::countNonZero(frame) < kMinForegroundPixels) return std::nullopt;
  const cv::Rect body = cv::boundingRect(frame);
  cv::Mat rows;
  frame.rowRange(body.y, body.y + body.height).convertTo(rows, CV_32F, 1.0 / 255.0);
  const double scaled_width = static_cast<double>(frame.cols) * kAlignedHeight / body.height;
  // A body a few pixels tall across a wide frame is a segmentation failure too: scaled to 64 rows
  // the frame would be millions of columns wide (gigabytes for a 1-row PNG of 1e6 columns).
  if (scaled_width > kMaxScaledWidth) return std::nullopt;
  const int width = std::max(1, static_cast<int>(std::lround(scaled_width)));
  cv::Mat scaled;
  cv::resize(rows, scaled, cv::Size(width, kAlignedHeight), 0, 0, cv::INTER_AREA);

  double mass = 0, moment = 0;
  for (int y = 0; y < scaled.rows; ++y) {
    const auto* row = scaled.ptr<float>(y);
    for (int x = 0; x < scaled.cols; ++x) {
      mass += row[x];
      moment += static_cast<double>(x) * row[x];
    }
  }
  const int centre = static_cast<int>(std::lround(moment / mass));
  const int first = centre - aligned_width / 2;
  cv::Mat aligned = cv::Mat::zeros(kAlignedHeight, aligned_width, CV_32FC1);
  const int from = std::max(first, 0), to = std::min(first + aligned_width, scaled.cols);
  if (from < to) scaled.colRange(from, to).copyTo(aligned.colRange(from - first, to - first));
  return aligned;
}

std::vector<cv::Mat> align_silhouettes(const std::vector<cv::Mat>& frames, int width) {
  std::vector<cv::Mat> aligned;
  for (const cv::Mat& frame : frames)
    if (auto a = align_silhouette(frame, width)) aligned.push_back(std::move(*a));
  return aligned;
}

Tensor silhouette_clip(const std::vector<cv::Mat>& aligned, int count, int start) {
  if (aligned.empty()) fail("silhouette_clip: the sequence has no usable (non-empty) frames");
  if (count < 1 || start < 0)
    fail("silhouette_clip: count {} and start {} must be positive and non-negative", count, start);
  Tensor clip(DType::f32, {count, kAlignedHeight, kAlignedWidth});
  float* out = clip.data<float>();
  const size_t plane = static_cast<size_t>(kAlignedHeight) * kAlignedWidth;
  for (int i = 0; i < count; ++i) {
    const size_t index = static_cast<size_t>(start + i) % aligned.size();
    const cv::Mat& frame = aligned[index];
    if (frame.type() != CV_32FC1 || frame.rows != kAlignedHeight || frame.cols != kAlignedWidth ||
        !frame.isContinuous())
      fail("silhouette_clip: frame {} is not an aligned {}x{} float silhouette", index, kAlignedHeight, kAlignedWidth);
    std::memcpy(out + i * plane, frame.ptr<float>(), plane * sizeof(float));
  }
  return clip;
}

}  // namespace stride::data
