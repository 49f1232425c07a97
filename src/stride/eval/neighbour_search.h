#pragma once
// Exact k-nearest-neighbour search over a gallery of feature vectors, behind one interface so that
// the distance-matrix search and the FAISS search can stand in for each other.
#include <cstdint>
#include <span>
#include <vector>

#include "stride/eval/matrix_view.h"

namespace stride::eval {

// The k nearest gallery rows of each probe, nearest first; equal distances in gallery order.
struct Neighbours {
  int64_t probes = 0;
  int k = 0;
  std::vector<int64_t> indices;  // [probes * k] gallery rows
  std::vector<float> distances;  // [probes * k]

  std::span<const int64_t> indices_of(int64_t probe) const {
    return std::span(indices).subspan(static_cast<size_t>(probe * k), static_cast<size_t>(k));
  }
  std::span<const float> distances_of(int64_t probe) const {
    return std::span(distances).subspan(static_cast<size_t>(probe * k), static_cast<size_t>(k));
  }
};

// Puts each probe's k entries in (distance, gallery row) order, the order every search reports.
void sort_neighbours(Neighbours& neighbours);

class NeighbourSearch {
 public:
  virtual ~NeighbourSearch() = default;
  // The caller has checked that 1 <= k <= gallery size and that the dimensions agree.
  virtual Neighbours search(MatrixView probes, int k) const = 0;
};

}  // namespace stride::eval
