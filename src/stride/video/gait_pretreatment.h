#pragma once
// A tracked walker's mask normalised as GaitSet's pretreatment does it (OpenGait
// datasets/pretreatment.py, then its loader's column cut), so that a model sees video silhouettes
// as it saw its training data: frames whose pixel sum is at most 10,000 (about 40 foreground
// pixels) dropped; the rows holding the body kept; resized to 64 rows (bicubic); centred on the
// column that halves the body's mass, 64 columns (zeros beyond the edges); 10 columns cut each side.
// data::align_silhouette, which made the datasets, centres on the mean column and resizes by area:
// the same frame differs by a column at most.
#include <opencv2/core.hpp>
#include <optional>

namespace stride::video {

// The 64x44 silhouette (CV_32FC1, values 0..1) of a CV_8UC1 mask (0 = background), or nothing for
// a frame the pretreatment drops.
std::optional<cv::Mat> gaitset_pretreatment(const cv::Mat& mask);

}  // namespace stride::video
