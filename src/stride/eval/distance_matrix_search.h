#pragma once
// k-nearest neighbours by brute force: the full distance matrix of a block of probes against the
// gallery (see distance_matrix.h), then a partial sort of each row. Exact, and fastest for the
// gallery sizes of the gait protocols.
#include "stride/eval/distance_matrix.h"
#include "stride/eval/neighbour_search.h"

namespace stride::eval {

class DistanceMatrixSearch : public NeighbourSearch {
 public:
  DistanceMatrixSearch(MatrixView gallery, Metric metric);     // copies the gallery
  DistanceMatrixSearch(const DistanceMatrixSearch&) = delete;  // distances_ borrows gallery_
  DistanceMatrixSearch& operator=(const DistanceMatrixSearch&) = delete;

  Neighbours search(MatrixView probes, int k) const override;

 private:
  Matrix gallery_;
  GalleryDistances distances_;
};

}  // namespace stride::eval
