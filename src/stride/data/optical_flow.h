#pragma once
// Dense optical flow (OpenCV's Farneback) and the TUM-GAID style flow stacks that the 2D-CNN and
// 3D-CNN take: 25 flow fields of 60x60 around the walker.
#include <opencv2/core.hpp>
#include <string_view>
#include <vector>

#include "stride/core/tensor.h"

namespace stride::data {

// Flow from `prev` to `next` (CV_8UC1, same size): CV_32FC2 of (dx, dy) in pixels, so that
// prev(y, x) ~ next(y + dy, x + dx).
cv::Mat dense_flow(const cv::Mat& prev, const cv::Mat& next);

struct FlowStackOptions {
  int frames = 25;  // flow fields per stack (needs frames + 1 images; shorter sequences cycle)
  int size = 60;    // side of the square crop, pixels
  int start = 0;    // first frame pair
};

// The flow stack of a grey sequence: f32 [2 * frames, size, size], channel 2t holding the x and
// 2t + 1 the y component of flow field t (channel-first, x and y interleaved per frame). Each field
// is computed in a square crop that follows the walker (the region that changes between the two
// frames), of one side for the whole stack (1.2 x the tallest moving region) so the scale is
// steady; the flow is rescaled with the crop, in pixels of the size x size image. `source` names
// the sequence in errors: fewer than 2 frames, frames of different sizes, or nothing moving.
Tensor flow_stack(const std::vector<cv::Mat>& frames, const FlowStackOptions& options, std::string_view source);

// The 3D-CNN's layout of the same numbers: [frames, size, size, 2] (T x H x W x C).
Tensor flow_stack_to_thwc(const Tensor& stack);

}  // namespace stride::data
