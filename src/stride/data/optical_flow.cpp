#include "stride/data/optical_flow.h"

#include <algorithm>
#include <cmath>
#include <map>
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

Tensor flow_stack(const std::vector<cv::Mat>& frames, const FlowStackOptions& options, std::string_view source) {
  if (options.frames < 1 || options.size < 8 || options.start < 0)
    fail("{}: flow stack needs frames >= 1, size >= 8 and start >= 0", source);
  if (frames.size() < 2) fail("{}: {} frame(s), optical flow needs at least 2", source, frames.size());
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].type() != CV_8UC1 || frames[i].size() != frames[0].size())
      fail("{}: frame {} is not an 8-bit grey image of the size of the first frame ({}x{})", source, i + 1,
           frames[0].cols, frames[0].rows);

  // Pair k is frames (k, k + 1); a short sequence cycles through its pairs.
  const int pairs = static_cast<int>(frames.size()) - 1;
  std::vector<int> pair_of(static_cast<size_t>(options.frames));
  std::map<int, std::optional<cv::Rect>> regions;
  for (int t = 0; t < options.frames; ++t) {
    pair_of[t] = (options.start + t) % pairs;
    if (!regions.count(pair_of[t])) regions[pair_of[t]] = moving_region(frames[pair_of[t]], frames[pair_of[t] + 1]);
  }
  int tallest = 0;
  for (const auto& [pair, box] : regions)
    if (box) tallest = std::max(tallest, box->height);
  if (tallest == 0) fail("{}: nothing moves between the frames, so there is no walker to crop", source);
  const int side = std::max(8, static_cast<int>(std::lround(1.2 * tallest)));

  // A pair without motion (a dropped or repeated frame) borrows the box of the nearest earlier pair,
  // or of the first later one at the start of the stack.
  std::vector<std::optional<cv::Rect>> boxes(static_cast<size_t>(options.frames));
  for (int t = 0; t < options.frames; ++t) boxes[t] = regions[pair_of[t]];
  for (int t = 1; t < options.frames; ++t)
    if (!boxes[t]) boxes[t] = boxes[t - 1];
  for (int t = options.frames - 2; t >= 0; --t)
    if (!boxes[t]) boxes[t] = boxes[t + 1];

  const int n = options.size;
  Tensor stack(DType::f32, {2 * options.frames, n, n});
  float* out = stack.data<float>();
  const double rescale = static_cast<double>(n) / side;
  for (int t = 0; t < options.frames; ++t) {
    const cv::Rect& box = *boxes[t];
    const cv::Point2f centre(box.x + 0.5f * box.width, box.y + 0.5f * box.height);
    const cv::Mat flow =
        dense_flow(crop_square(frames[pair_of[t]], centre, side), crop_square(frames[pair_of[t] + 1], centre, side));
    cv::Mat resized;
    cv::resize(flow, resized, {n, n}, 0, 0, cv::INTER_AREA);
    cv::Mat planes[2] = {cv::Mat(n, n, CV_32FC1, out + (2 * t) * n * n),
                         cv::Mat(n, n, CV_32FC1, out + (2 * t + 1) * n * n)};
    cv::split(resized * rescale, planes);
  }
  return stack;
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
