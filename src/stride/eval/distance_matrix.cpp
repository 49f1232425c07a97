#include "stride/eval/distance_matrix.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace stride::eval {
namespace {

// Squared Euclidean norm of every row, accumulated in double.
std::vector<float> squared_norms(MatrixView m) {
  std::vector<float> norms(static_cast<size_t>(m.rows()));
  for (int64_t r = 0; r < m.rows(); ++r) {
    double sum = 0;
    for (const float v : m.row(r)) sum += static_cast<double>(v) * v;
    norms[static_cast<size_t>(r)] = static_cast<float>(sum);
  }
  return norms;
}

// BLAS takes 32-bit sizes.
int blas_size(int64_t n, const char* what) {
  if (n > std::numeric_limits<int>::max()) fail("{} = {} is too large for a BLAS matrix", what, n);
  return static_cast<int>(n);
}

}  // namespace

GalleryDistances::GalleryDistances(MatrixView gallery, Metric metric) : gallery_(gallery), metric_(metric) {
  if (metric == Metric::l2) gallery_norms_ = squared_norms(gallery);
  if (metric == Metric::cosine) {
    gallery_norms_ = squared_norms(gallery);
    for (float& n : gallery_norms_) n = std::sqrt(n);
  }
}

void GalleryDistances::compute(MatrixView probes, std::span<float> out) const {
  if (probes.cols() != gallery_.cols())
    fail("probe features have dimension {} but the gallery's have {}", probes.cols(), gallery_.cols());
  if (out.size() != static_cast<size_t>(probes.rows() * gallery_.rows()))
    fail("a {}x{} distance matrix does not fit {} values", probes.rows(), gallery_.rows(), out.size());
  if (out.empty()) return;
  if (metric_ == Metric::l1) return l1(probes, out);

  inner_products(probes, out);
  const auto gallery_count = static_cast<size_t>(gallery_.rows());
  const std::vector<float> probe_norms = squared_norms(probes);
  for (size_t p = 0; p < probe_norms.size(); ++p) {
    float* row = out.data() + p * gallery_count;
    if (metric_ == Metric::l2) {
      for (size_t g = 0; g < gallery_count; ++g)
        row[g] = std::sqrt(std::max(0.0f, probe_norms[p] + gallery_norms_[g] - 2 * row[g]));
    } else {
      const float probe_norm = std::sqrt(probe_norms[p]);
      for (size_t g = 0; g < gallery_count; ++g) {
        const float norms = probe_norm * gallery_norms_[g];
        // A zero vector has no direction: call it orthogonal to everything rather than NaN.
        const float similarity = norms > 0 ? row[g] / norms : 0.0f;
        row[g] = 1 - std::clamp(similarity, -1.0f, 1.0f);
      }
    }
  }
}

void GalleryDistances::inner_products(MatrixView probes, std::span<float> out) const {
  const int p = blas_size(probes.rows(), "probe count");
  const int g = blas_size(gallery_.rows(), "gallery size");
  const int d = blas_size(gallery_.cols(), "feature dimension");
  // out[p, g] = probes[p, :] . gallery[g, :]
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, p, g, d, 1.0f, probes.data(), d, gallery_.data(), d, 0.0f,
              out.data(), g);
}

void GalleryDistances::l1(MatrixView probes, std::span<float> out) const {
  // A block of gallery rows is reused by every probe before the next block is read.
  constexpr int64_t kGalleryBlock = 64;
  const int64_t gallery_count = gallery_.rows();
  for (int64_t g0 = 0; g0 < gallery_count; g0 += kGalleryBlock) {
    const int64_t g1 = std::min(g0 + kGalleryBlock, gallery_count);
    for (int64_t p = 0; p < probes.rows(); ++p) {
      const auto probe = probes.row(p);
      for (int64_t g = g0; g < g1; ++g) {
        const float* item = gallery_.row(g).data();
        float sum = 0;
        for (size_t i = 0; i < probe.size(); ++i) sum += std::abs(probe[i] - item[i]);
        out[static_cast<size_t>(p * gallery_count + g)] = sum;
      }
    }
  }
}

std::vector<float> distance_matrix(MatrixView probes, MatrixView gallery, Metric metric) {
  if (gallery.rows() > 0 && probes.rows() > kMaxTensorBytes / static_cast<int64_t>(sizeof(float)) / gallery.rows())
    fail("a {}x{} distance matrix is too large to hold at once: search the neighbours with KnnClassifier instead",
         probes.rows(), gallery.rows());
  std::vector<float> out(static_cast<size_t>(probes.rows() * gallery.rows()));
  GalleryDistances(gallery, metric).compute(probes, out);
  return out;
}

}  // namespace stride::eval
