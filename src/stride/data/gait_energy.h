#pragma once
// Gait energy images (Han and Bhanu): the mean of aligned silhouettes over whole gait cycles.
#include <opencv2/core.hpp>
#include <vector>

#include "stride/core/tensor.h"

namespace stride::data {

// Mean of the aligned frames (CV_32FC1, all the same size): f32 tensor [rows, cols].
Tensor gait_energy_image(const std::vector<cv::Mat>& aligned);

// The lag in frames, within [min_period, frames / 2], at which the sequence best repeats itself
// (least mean absolute difference between frame i and frame i + lag; the upper bound keeps at least
// half the frames in every comparison). Seen from the side the two half cycles look alike, so this
// may be half a gait cycle; either way a whole number of periods covers whole cycles' worth of
// poses. Returns 0 when the sequence has fewer than 2 * min_period frames.
int gait_period(const std::vector<cv::Mat>& aligned, int min_period = 6);

// The GEI over the largest whole number of gait periods at the start of the sequence (all frames
// when no period is found). Throws stride::Error when `aligned` is empty.
Tensor gait_energy_image_over_cycles(const std::vector<cv::Mat>& aligned);

// The columns of the aligned frames whose GEI a model of input `height`×`width` takes: the model's
// aspect ratio at 64 rows (64 for a square input), at least 1.
int gait_energy_columns(int height, int width);

// What a GEI model of input `height`×`width` takes from a recording's frames aligned at 64 rows ×
// gait_energy_columns(height, width) (align_silhouettes): their GEI over whole cycles
// (gait_energy_image_over_cycles), resized to height×width by pixel-area averaging when that is
// another size: f32 [height, width]. Throws stride::Error when `aligned` is empty.
Tensor gait_energy_input(const std::vector<cv::Mat>& aligned, int height, int width);

}  // namespace stride::data
