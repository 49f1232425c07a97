#include "stride/eval/faiss_search.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <cmath>

namespace stride::eval {
namespace {

faiss::MetricType faiss_metric(Metric metric) {
  switch (metric) {
    case Metric::l1:
      return faiss::METRIC_L1;
    case Metric::l2:
      return faiss::METRIC_L2;
    case Metric::cosine:
      return faiss::METRIC_INNER_PRODUCT;
  }
  fail("unknown KNN metric {}", static_cast<int>(metric));
}

// Rows scaled to unit length; zero rows stay zero, so that their cosine distance is 1 as in the
// distance-matrix search.
std::vector<float> unit_rows(MatrixView m) {
  std::vector<float> out(m.data(), m.data() + m.rows() * m.cols());
  for (int64_t r = 0; r < m.rows(); ++r) {
    float* row = out.data() + r * m.cols();
    double sum = 0;
    for (int64_t i = 0; i < m.cols(); ++i) sum += static_cast<double>(row[i]) * row[i];
    if (sum == 0) continue;
    const auto scale = static_cast<float>(1 / std::sqrt(sum));
    for (int64_t i = 0; i < m.cols(); ++i) row[i] *= scale;
  }
  return out;
}

}  // namespace

FaissSearch::FaissSearch(MatrixView gallery, Metric metric)
    : metric_(metric), index_(std::make_unique<faiss::IndexFlat>(gallery.cols(), faiss_metric(metric))) {
  if (metric == Metric::cosine)
    index_->add(gallery.rows(), unit_rows(gallery).data());
  else
    index_->add(gallery.rows(), gallery.data());
}

FaissSearch::~FaissSearch() = default;

Neighbours FaissSearch::search(MatrixView probes, int k) const {
  Neighbours result{probes.rows(), k, {}, {}};
  result.indices.resize(static_cast<size_t>(probes.rows() * k));
  result.distances.resize(result.indices.size());
  if (probes.rows() == 0) return result;
  int64_t* labels = result.indices.data();  // faiss::Index::idx_t is int64_t
  if (metric_ == Metric::cosine)
    index_->search(probes.rows(), unit_rows(probes).data(), k, result.distances.data(), labels);
  else
    index_->search(probes.rows(), probes.data(), k, result.distances.data(), labels);

  for (float& d : result.distances) {
    if (metric_ == Metric::l2) d = std::sqrt(std::max(0.0f, d));  // FAISS reports squared L2
    if (metric_ == Metric::cosine) d = 1 - std::clamp(d, -1.0f, 1.0f);
  }
  sort_neighbours(result);  // FAISS's order among equal distances is its own
  return result;
}

}  // namespace stride::eval
