#include "stride/gallery/unique_assignment.h"

#include <algorithm>

#include "stride/core/assignment.h"
#include "stride/core/error.h"

namespace stride::gallery {

std::vector<std::optional<size_t>> assign_unique_identities(const std::vector<std::vector<double>>& scores,
                                                            double threshold) {
  const size_t probes = scores.size();
  if (probes == 0) return {};
  const size_t persons = scores.front().size();
  for (const auto& row : scores)
    if (row.size() != persons) fail("a score matrix with rows of {} and {} persons", persons, row.size());
  double lowest = 0, highest = 0;
  for (const auto& row : scores)
    for (double s : row) {
      lowest = std::min(lowest, s);
      highest = std::max(highest, s);
    }
  // Each pair at or above the threshold is worth a bonus larger than any difference in total score
  // between two assignments, so that naming one more probe always wins, then the score decides.
  // Every probe also has an "unknown" column of its own, worth nothing.
  const double bonus = static_cast<double>(probes) * (highest - lowest) + 1;
  const size_t columns = persons + probes;
  std::vector<double> cost(probes * columns, 0);
  for (size_t p = 0; p < probes; ++p)
    for (size_t q = 0; q < persons; ++q)
      if (scores[p][q] >= threshold) cost[p * columns + q] = -(bonus + scores[p][q] - lowest);
  const std::vector<int64_t> column =
      min_cost_assignment(cost, static_cast<int64_t>(probes), static_cast<int64_t>(columns));
  std::vector<std::optional<size_t>> identity(probes);
  for (size_t p = 0; p < probes; ++p)
    if (const auto q = static_cast<size_t>(column[p]); q < persons && scores[p][q] >= threshold) identity[p] = q;
  return identity;
}

}  // namespace stride::gallery
