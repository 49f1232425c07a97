#pragma once
// A histogram of |x| over [0, range] with a fixed number of equal bins, filled batch by batch.
// The range is the largest |x| seen so far; when a batch goes beyond it, the counts collected so
// far are spread over the wider bins in proportion to how the old bins overlap the new ones, so
// that batches (and histograms from separate runs) merge without keeping the values.
#include <cstddef>
#include <span>
#include <vector>

namespace stride::quant {

class AbsHistogram {
 public:
  static constexpr size_t kDefaultBins = 2048;  // ONNX Runtime's and TensorRT's resolution

  explicit AbsHistogram(size_t bins = kDefaultBins);
  // A histogram with given counts over [0, range] (for tests and for merging).
  AbsHistogram(std::vector<double> counts, double range);

  void add(std::span<const float> values);
  void merge(const AbsHistogram& other);

  size_t bins() const { return counts_.size(); }
  double range() const { return range_; }
  double bin_width() const { return range_ / static_cast<double>(counts_.size()); }
  const std::vector<double>& counts() const { return counts_; }
  double total() const;

 private:
  void grow_to(double range);
  size_t bin_of(double magnitude) const;

  std::vector<double> counts_;
  double range_ = 0;
};

}  // namespace stride::quant
