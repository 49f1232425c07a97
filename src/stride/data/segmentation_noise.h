#pragma once
// Makes clean rendered silhouettes look like the output of background subtraction: ragged
// outlines, speckle, holes where clothes match the background, a lost band of the body, a floor
// shadow merged with the feet, and now and then a frame where nothing was segmented.
#include <cstdint>
#include <opencv2/core.hpp>

#include "stride/data/synth_config.h"

namespace stride::data {

class SegmentationCorruptor {
 public:
  // Choices that hold for a whole recording (shadow, blank frame) are drawn here from `seed`.
  SegmentationCorruptor(const SegmentationNoise& noise, int frames, uint64_t seed);

  // The corrupted copy of `mask` (CV_8UC1, 0 or 255) as frame number `frame` (0-based).
  cv::Mat apply(const cv::Mat& mask, int frame) const;

 private:
  SegmentationNoise noise_;
  uint64_t seed_;
  int blank_frame_ = -1;
  bool shadow_ = false;
  double shadow_length_ = 0.0, shadow_shift_ = 0.0;  // relative to the body height
};

}  // namespace stride::data
