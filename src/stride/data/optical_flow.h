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

// The flow of a whole grey sequence around its walker, as the 2D-CNN and 3D-CNN cut their stacks
// from it: f32 [2 * (frames - 1), size, size], channel 2k holding the x and 2k + 1 the y component
// of the flow from frame k to k + 1 (channel-first, x and y interleaved per field), in pixels of
// the size x size image. Each field is computed in a square crop around the walker. The crop keeps
// one side for the whole recording (1.2 x the 90th percentile of the moving regions' heights), so
// the scale is steady, and moves on a steady track: the moving regions' centres fitted by a line in
// x (a walker at a steady pace crosses a side view) and their median in y, so that it follows the
// body rather than the swinging limbs. `source` names the sequence in errors: fewer than 2 frames,
// frames of different sizes or types, or nothing moving.
Tensor flow_sequence(const std::vector<cv::Mat>& frames, int size, std::string_view source);

// The models' input: `fields` consecutive fields of a flow sequence from field `start`,
// f32 [2 * fields, H, W]; a sequence with fewer fields cycles through them.
Tensor flow_window(const Tensor& sequence, int fields, int start);

// The 3D-CNN's layout of the same numbers: [frames, size, size, 2] (T x H x W x C).
Tensor flow_stack_to_thwc(const Tensor& stack);

}  // namespace stride::data
