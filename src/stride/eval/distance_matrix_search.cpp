#include "stride/eval/distance_matrix_search.h"

#include <algorithm>
#include <numeric>

namespace stride::eval {
namespace {

Matrix copy_of(MatrixView m) {
  return {std::vector<float>(m.data(), m.data() + m.rows() * m.cols()), m.rows(), m.cols()};
}

// Probes per distance-matrix block: about 16 MiB of distances, so that memory stays bounded for
// any number of probes while each sgemm is still large.
int64_t probe_block_rows(int64_t gallery_size) {
  return std::max<int64_t>(1, (int64_t{4} << 20) / std::max<int64_t>(1, gallery_size));
}

}  // namespace

DistanceMatrixSearch::DistanceMatrixSearch(MatrixView gallery, Metric metric)
    : gallery_(copy_of(gallery)), distances_(gallery_.view("KNN gallery"), metric) {}

Neighbours DistanceMatrixSearch::search(MatrixView probes, int k) const {
  const int64_t gallery_size = gallery_.rows;
  Neighbours result{probes.rows(), k, {}, {}};
  result.indices.resize(static_cast<size_t>(probes.rows() * k));
  result.distances.resize(result.indices.size());

  const int64_t block = probe_block_rows(gallery_size);
  std::vector<float> distances;
  std::vector<int64_t> order(static_cast<size_t>(gallery_size));
  for (int64_t p0 = 0; p0 < probes.rows(); p0 += block) {
    const MatrixView probe_block = probes.slice(p0, std::min(p0 + block, probes.rows()));
    distances.resize(static_cast<size_t>(probe_block.rows() * gallery_size));
    distances_.compute(probe_block, distances);
    for (int64_t p = 0; p < probe_block.rows(); ++p) {
      const float* row = distances.data() + p * gallery_size;
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [row](int64_t a, int64_t b) { return row[a] < row[b] || (row[a] == row[b] && a < b); });
      const auto out = static_cast<size_t>((p0 + p) * k);
      for (size_t j = 0; j < static_cast<size_t>(k); ++j) {
        result.indices[out + j] = order[j];
        result.distances[out + j] = row[order[j]];
      }
    }
  }
  return result;
}

}  // namespace stride::eval
