#pragma once
// GaitSet's silhouette pretreatment: crop each frame to the rows that hold the body, scale it to
// 64 rows keeping the aspect ratio, and cut 44 columns centred on the horizontal centroid.
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "stride/core/tensor.h"

namespace stride::data {

inline constexpr int kAlignedHeight = 64;
inline constexpr int kAlignedWidth = 44;
// Frames with fewer foreground pixels than this are segmentation failures and are skipped.
inline constexpr int kMinForegroundPixels = 40;
// Frames whose body, scaled to 64 rows, would make the frame wider than this are skipped as well.
inline constexpr double kMaxScaledWidth = 1 << 16;

// The aligned silhouette (CV_32FC1, 64x44, values in [0, 1]) of a CV_8UC1 frame (0 = background),
// or nothing when the frame has too little foreground or a body too flat for its width. Scaling
// uses pixel-area averaging. `width` columns (at least 1) instead of 44 cut a wider or narrower
// window around the same centroid: 64 is GaitSet's frame before it drops 10 columns on each side.
std::optional<cv::Mat> align_silhouette(const cv::Mat& frame, int width = kAlignedWidth);

// The aligned frames of a sequence, empty frames left out.
std::vector<cv::Mat> align_silhouettes(const std::vector<cv::Mat>& frames, int width = kAlignedWidth);

// `count` consecutive aligned frames from `start`, cycling through the sequence when it is shorter:
// f32 tensor [count, 64, 44]. Throws stride::Error when `aligned` is empty.
Tensor silhouette_clip(const std::vector<cv::Mat>& aligned, int count = 30, int start = 0);

}  // namespace stride::data
