#pragma once
// k-nearest neighbours through FAISS's exact flat indexes, for large galleries: IndexFlat with the
// L2 or L1 metric, and inner product on unit-normalised copies for cosine. Distances are reported
// in the same units as the distance-matrix search (Euclidean, not squared; 1 - cosine similarity).
#include <memory>

#include "stride/eval/metric.h"
#include "stride/eval/neighbour_search.h"

namespace faiss {
struct IndexFlat;
}

namespace stride::eval {

class FaissSearch : public NeighbourSearch {
 public:
  FaissSearch(MatrixView gallery, Metric metric);  // copies the gallery into the index
  ~FaissSearch() override;

  Neighbours search(MatrixView probes, int k) const override;

 private:
  Metric metric_;
  std::unique_ptr<faiss::IndexFlat> index_;
};

}  // namespace stride::eval
