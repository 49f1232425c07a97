#include "stride/eval/knn_classifier.h"

#include <algorithm>

#include "stride/eval/distance_matrix_search.h"
#include "stride/eval/faiss_search.h"

namespace stride::eval {
namespace {

bool chooses_faiss(const KnnOptions& options, int64_t gallery_size) {
  switch (options.engine) {
    case KnnEngine::automatic:
      return gallery_size >= options.faiss_min_gallery;
    case KnnEngine::distance_matrix:
      return false;
    case KnnEngine::faiss:
      return true;
  }
  fail("unknown KNN engine {}", static_cast<int>(options.engine));
}

}  // namespace

KnnClassifier::KnnClassifier(MatrixView gallery, std::vector<int64_t> labels, const KnnOptions& options)
    : labels_(std::move(labels)), dimension_(gallery.cols()), k_(options.k) {
  if (gallery.rows() == 0) fail("KNN gallery is empty: it needs at least one feature vector");
  if (gallery.cols() == 0) fail("KNN gallery vectors have dimension 0: they need at least one feature");
  if (static_cast<int64_t>(labels_.size()) != gallery.rows())
    fail("KNN gallery has {} vectors but {} labels", gallery.rows(), labels_.size());
  if (options.k < 1 || options.k > gallery.rows())
    fail("KNN k = {} is out of range: it must be between 1 and the gallery size ({})", options.k, gallery.rows());
  require_finite(gallery, "KNN gallery");
  uses_faiss_ = chooses_faiss(options, gallery.rows());
  if (uses_faiss_)
    search_ = std::make_unique<FaissSearch>(gallery, options.metric);
  else
    search_ = std::make_unique<DistanceMatrixSearch>(gallery, options.metric);
}

Neighbours KnnClassifier::neighbours(MatrixView probes) const {
  if (probes.cols() != dimension_)
    fail("KNN probes have dimension {} but the gallery has dimension {}", probes.cols(), dimension_);
  require_finite(probes, "KNN probes");
  return search_->search(probes, k_);
}

std::vector<int64_t> KnnClassifier::predict(MatrixView probes) const {
  const Neighbours found = neighbours(probes);
  std::vector<int64_t> predicted(static_cast<size_t>(probes.rows()));
  std::vector<int64_t> labels(static_cast<size_t>(k_));
  for (int64_t p = 0; p < probes.rows(); ++p) {
    std::ranges::transform(found.indices_of(p), labels.begin(),
                           [this](int64_t row) { return labels_[static_cast<size_t>(row)]; });
    predicted[static_cast<size_t>(p)] = majority_label(labels);
  }
  return predicted;
}

int64_t majority_label(std::span<const int64_t> labels) {
  if (labels.empty()) fail("a majority vote needs at least one label");
  int64_t best = labels[0];
  std::ptrdiff_t best_votes = 0;
  // Visiting labels nearest first and replacing only on strictly more votes lets ties keep the nearer.
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::ptrdiff_t votes = std::count(labels.begin(), labels.end(), labels[i]);
    if (votes > best_votes) {
      best = labels[i];
      best_votes = votes;
    }
  }
  return best;
}

}  // namespace stride::eval
