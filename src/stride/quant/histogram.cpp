#include "stride/quant/histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stride/core/error.h"

namespace stride::quant {

AbsHistogram::AbsHistogram(size_t bins) : counts_(bins, 0.0) {
  if (bins == 0) fail("a histogram needs at least one bin");
}

AbsHistogram::AbsHistogram(std::vector<double> counts, double range) : counts_(std::move(counts)), range_(range) {
  if (counts_.empty()) fail("a histogram needs at least one bin");
  if (!(range_ >= 0)) fail("a histogram's range must be non-negative, got {}", range_);
}

double AbsHistogram::total() const { return std::accumulate(counts_.begin(), counts_.end(), 0.0); }

size_t AbsHistogram::bin_of(double magnitude) const {
  if (range_ <= 0) return 0;
  const double position = magnitude / range_ * static_cast<double>(counts_.size());
  return std::min(static_cast<size_t>(position), counts_.size() - 1);
}

void AbsHistogram::grow_to(double range) {
  if (range <= range_) return;
  std::vector<double> grown(counts_.size(), 0.0);
  const double old_width = bin_width();
  const double new_width = range / static_cast<double>(counts_.size());
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    if (old_width == 0) {  // everything seen so far was exactly zero
      grown[0] += counts_[i];
      continue;
    }
    // Old bin [lo, hi) lands on new bins in proportion to the overlap: mass is kept exactly and
    // moves by less than one new bin.
    const double lo = static_cast<double>(i) * old_width, hi = lo + old_width;
    for (auto j = static_cast<size_t>(lo / new_width); j < grown.size(); ++j) {
      const double b_lo = static_cast<double>(j) * new_width, b_hi = b_lo + new_width;
      if (b_lo >= hi) break;
      const double overlap = std::min(hi, b_hi) - std::max(lo, b_lo);
      if (overlap > 0) grown[j] += counts_[i] * overlap / old_width;
    }
  }
  counts_ = std::move(grown);
  range_ = range;
}

void AbsHistogram::add(std::span<const float> values) {
  double largest = 0;
  for (float v : values)
    if (std::isfinite(v)) largest = std::max(largest, static_cast<double>(std::fabs(v)));
  grow_to(largest);
  for (float v : values)
    if (std::isfinite(v)) counts_[bin_of(std::fabs(v))] += 1;
}

void AbsHistogram::merge(const AbsHistogram& other) {
  if (other.bins() != bins()) fail("cannot merge histograms of {} and {} bins", bins(), other.bins());
  grow_to(other.range_);
  // The other histogram's bins are re-binned the same way as on growth, into this (wider or equal) range.
  AbsHistogram moved = other;
  moved.grow_to(range_);
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += moved.counts_[i];
}

}  // namespace stride::quant
