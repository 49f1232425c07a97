#pragma once
// Probe-to-gallery distance matrices. L2 and cosine come from one BLAS sgemm of inner products,
// |a|^2 + |b|^2 - 2 a.b (clamped at 0, since rounding can push it below) and 1 - a.b / (|a| |b|);
// L1 has no such product form and is a plain loop blocked so that a gallery block stays in cache.
#include <span>
#include <vector>

#include "stride/eval/matrix_view.h"
#include "stride/eval/metric.h"

namespace stride::eval {

class GalleryDistances {
 public:
  // Borrows `gallery` and computes its row norms once, for every later batch of probes.
  GalleryDistances(MatrixView gallery, Metric metric);

  // Writes the [probes.rows(), gallery.rows()] distances, row-major, into `out`. Throws
  // stride::Error on a dimension mismatch or an `out` of the wrong size.
  void compute(MatrixView probes, std::span<float> out) const;

  int64_t gallery_size() const { return gallery_.rows(); }

 private:
  void inner_products(MatrixView probes, std::span<float> out) const;
  void l1(MatrixView probes, std::span<float> out) const;

  MatrixView gallery_;
  Metric metric_;
  std::vector<float> gallery_norms_;  // squared for L2, plain for cosine, unused for L1
};

// All distances at once, [probes.rows(), gallery.rows()] row-major.
std::vector<float> distance_matrix(MatrixView probes, MatrixView gallery, Metric metric);

}  // namespace stride::eval
