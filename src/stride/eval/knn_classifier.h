#pragma once
// The KNN classifier of the paper's pipeline: a probe takes the label that most
// of its k nearest gallery vectors carry. Building the classifier (copying the gallery, building
// an index) and predicting are separate calls so that a caller can time the classification alone.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "stride/eval/matrix_view.h"
#include "stride/eval/metric.h"
#include "stride/eval/neighbour_search.h"

namespace stride::eval {

// How the neighbours are found; both give the same neighbours.
enum class KnnEngine {
  automatic,        // FAISS from KnnOptions::faiss_min_gallery vectors on, the distance matrix below
  distance_matrix,  // BLAS sgemm (L2, cosine) or a blocked loop (L1), see distance_matrix.h
  faiss,            // FAISS flat indexes, see faiss_search.h
};

struct KnnOptions {
  int k = 1;
  Metric metric = Metric::l2;
  KnnEngine engine = KnnEngine::automatic;
  int64_t faiss_min_gallery = 20000;
};

class KnnClassifier {
 public:
  // Copies the gallery. Throws stride::Error for an empty gallery, a label count that differs
  // from its rows, k outside [1, gallery size], or a value that is not finite.
  KnnClassifier(MatrixView gallery, std::vector<int64_t> labels, const KnnOptions& options);

  // Throws stride::Error when the probes' dimension differs from the gallery's or a value is not finite.
  Neighbours neighbours(MatrixView probes) const;
  // The majority label among each probe's k neighbours.
  std::vector<int64_t> predict(MatrixView probes) const;

  bool uses_faiss() const { return uses_faiss_; }
  int64_t gallery_size() const { return static_cast<int64_t>(labels_.size()); }
  int64_t dimension() const { return dimension_; }

 private:
  std::vector<int64_t> labels_;
  int64_t dimension_;
  int k_;
  bool uses_faiss_;
  std::unique_ptr<NeighbourSearch> search_;
};

// The label most of `labels` carry; `labels` run nearest first and a tie goes to the label whose
// nearest member is nearer. Throws stride::Error when `labels` is empty.
int64_t majority_label(std::span<const int64_t> labels);

}  // namespace stride::eval
