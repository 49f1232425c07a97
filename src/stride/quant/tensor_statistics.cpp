#include "stride/quant/tensor_statistics.h"

#include <algorithm>
#include <cmath>

namespace stride::quant {

void TensorStatistics::add(std::span<const float> values) {
  for (float v : values) {
    if (!std::isfinite(v)) continue;  // a NaN or inf says nothing about the range to keep
    const double x = v;
    min = count == 0 ? x : std::min(min, x);
    max = count == 0 ? x : std::max(max, x);
    ++count;
  }
  histogram.add(values);
}

void TensorStatistics::merge(const TensorStatistics& other) {
  if (other.count == 0) return;
  min = count == 0 ? other.min : std::min(min, other.min);
  max = count == 0 ? other.max : std::max(max, other.max);
  count += other.count;
  histogram.merge(other.histogram);
}

}  // namespace stride::quant
