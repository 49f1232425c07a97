#include "stride/data/optical_flow.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <optional>

#include "stride/core/error.h"

namespace stride::data {
namespace {

// Grey-level change that counts as motion, above sensor noise and compression artefacts.
constexpr int kMotionThreshold = 12;

// The bounding box of what changes between two frames, speckle removed; nothing when nothing moves.
std::optional<cv::Rect> moving_region(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat difference, moving;
  cv::absdiff(a, b, difference);
  cv::threshold(difference, moving, kMotionThreshold, 255, cv::THRESH_BINARY);
  cv::morphologyEx(moving, moving, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  const cv::Rect box = cv::boundingRect(moving);
  if (box.empty()) return std::nullopt;
  return box;
}

cv::Mat crop_square(const cv::Mat& image, const cv::Point2f& centre, int side) {
  cv::Mat patch;
  cv::getRectSubPix(image, {side, side}, centre, patch);  // replicates the border outside the image
  return patch;
}

// The q-quantile (0..1) of `values` (not empty), by the nearest rank.
double quantile(std::vector<double> values, double q) {
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(std::lround(q * (values.size() - 1)));
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

struct Line {
  double intercept = 0, slope = 0;
  double at(double x) const { return intercept + slope * x; }
};

// Least-squares line through (x, y); a constant when the x do not spread.
Line fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mean_x = 0, mean_y = 0;
  for (size_t i = 0; i < x.size(); ++i) mean_x += x[i] / n, mean_y += y[i] / n;
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0.0;
  return {mean_y - slope * mean_x, slope};
}

}  // namespace

cv::Mat dense_flow(const cv::Mat& prev, const cv::Mat& next) {
  if (prev.type() != CV_8UC1 || next.type() != CV_8UC1 || prev.size() != next.size())
    fail("dense_flow: expected two 8-bit grey frames of the same size");
  cv::Mat flow;
  // Parameters of OpenCV's own Farneback sample: 3 pyramid levels halving the size, 15-pixel
  // averaging window, 3 iterations, polynomial neighbourhood 5 with sigma 1.2.
  cv::calcOpticalFlowFarneback(prev, next, flow, 0.5, 3, 15, 3, 5, 1.2, 0);
  return flow;
}

Tensor flow_sequence(const std::vector<cv::Mat>& frames, int size, std::string_view source) {
  if (size < 8) fail("{}: flow crops need a side of at least 8 pixels, got {}", source, size);
  if (frames.size() < 2) fail("{}: {} frame(s), optical flow needs at least 2", source, frames.size());
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].type() != CV_8UC1 || frames[i].size() != frames[0].size())
      fail("{}: frame {} is not an 8-bit grey image of the size of the first frame ({}x{})", source, i + 1,
           frames[0].cols, frames[0].rows);

  const int pairs = static_cast<int>(frames.size()) - 1;
  std::vector<double> index, centre_x, centre_y, heights;
  for (int k = 0; k < pairs; ++k)
    if (const std::optional<cv::Rect> box = moving_region(frames[k], frames[k + 1])) {
      index.push_back(k);
      centre_x.push_back(box->x + 0.5 * box->width);
      centre_y.push_back(box->y + 0.5 * box->height);
      heights.push_back(box->height);
    }
  if (heights.empty()) fail("{}: nothing moves between the frames, so there is no walker to crop", source);
  const int side = std::max(8, static_cast<int>(std::lround(1.2 * quantile(heights, 0.9))));
  const Line track_x = fit_line(index, centre_x);
  const double track_y = quantile(centre_y, 0.5);

  Tensor flow(DType::f32, {2 * static_cast<int64_t>(pairs), size, size});
  float* out = flow.data<float>();
  const int64_t plane = static_cast<int64_t>(size) * size;
  const double rescale = static_cast<double>(size) / side;
  for (int k = 0; k < pairs; ++k) {
    const cv::Point2f centre(static_cast<float>(track_x.at(k)), static_cast<float>(track_y));
    const cv::Mat field = dense_flow(crop_square(frames[k], centre, side), crop_square(frames[k + 1], centre, side));
    cv::Mat resized;
    cv::resize(field, resized, {size, size}, 0, 0, cv::INTER_AREA);
    cv::Mat planes[2] = {cv::Mat(size, size, CV_32FC1, out + (2 * k) * plane),
                         cv::Mat(size, size, CV_32FC1, out + (2 * k + 1) * plane)};
    cv::split(resized * rescale, planes);
  }
  return flow;
}

Tensor flow_window(const Tensor& sequence, int fields, int start) {
  if (sequence.rank() != 3 || sequence.dim(0) < 2 || sequence.dim(0) % 2 != 0 || sequence.dtype() != DType::f32)
    fail("flow_window: expected an f32 [2F, H, W] flow sequence, got {}", shape_str(sequence.shape()));
  if (fields < 1 || start < 0) fail("flow_window: needs fields >= 1 and start >= 0, got {} and {}", fields, start);
  const int64_t available = sequence.dim(0) / 2, field_size = 2 * sequence.dim(1) * sequence.dim(2);
  Tensor window(DType::f32, {2 * static_cast<int64_t>(fields), sequence.dim(1), sequence.dim(2)});
  const float* from = sequence.data<float>();
  float* to = window.data<float>();
  for (int64_t t = 0; t < fields; ++t)
    std::copy_n(from + ((start + t) % available) * field_size, field_size, to + t * field_size);
  return window;
}

Tensor flow_stack_to_thwc(const Tensor& stack) {
  if (stack.rank() != 3 || stack.dim(0) % 2 != 0)
    fail("flow_stack_to_thwc: expected a [2T, H, W] stack, got {}", shape_str(stack.shape()));
  const int64_t frames = stack.dim(0) / 2, h = stack.dim(1), w = stack.dim(2);
  Tensor out(DType::f32, {frames, h, w, 2});
  const float* in = stack.data<float>();
  float* o = out.data<float>();
  for (int64_t t = 0; t < frames; ++t)
    for (int64_t c = 0; c < 2; ++c)
      for (int64_t p = 0; p < h * w; ++p) o[(t * h * w + p) * 2 + c] = in[(2 * t + c) * h * w + p];
  return out;
}

}  // namespace stride::data
