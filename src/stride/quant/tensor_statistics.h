#pragma once
// What calibration keeps of one activation over all calibration batches: its exact running
// minimum and maximum and a histogram of |x|, enough for every calibrator.
#include <cstdint>
#include <span>

#include "stride/quant/histogram.h"

namespace stride::quant {

struct TensorStatistics {
  double min = 0;
  double max = 0;
  int64_t count = 0;  // values seen
  AbsHistogram histogram;

  void add(std::span<const float> values);
  void merge(const TensorStatistics& other);
};

}  // namespace stride::quant
