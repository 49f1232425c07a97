#include "stride/eval/neighbour_search.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace stride::eval {

void sort_neighbours(Neighbours& neighbours) {
  const auto k = static_cast<size_t>(neighbours.k);
  std::vector<std::pair<float, int64_t>> entries(k);
  for (size_t start = 0; start < neighbours.indices.size(); start += k) {
    for (size_t j = 0; j < k; ++j) entries[j] = {neighbours.distances[start + j], neighbours.indices[start + j]};
    std::sort(entries.begin(), entries.end());
    for (size_t j = 0; j < k; ++j)
      std::tie(neighbours.distances[start + j], neighbours.indices[start + j]) = entries[j];
  }
}

}  // namespace stride::eval
