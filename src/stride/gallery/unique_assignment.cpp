#include "stride/gallery/unique_assignment.h"

#include <algorithm>
#include <limits>

#include "stride/core/error.h"

namespace stride::gallery {
namespace {

// The minimum-cost assignment of every row to a distinct column of `cost` (rows <= columns), by
// the Hungarian method with potentials, O(rows² · columns). Returns each row's column.
std::vector<size_t> min_cost_assignment(const std::vector<std::vector<double>>& cost) {
  const size_t n = cost.size(), m = cost.front().size();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // 1-based as in the textbook statement; row 0 and column 0 are the search's virtual start.
  std::vector<double> u(n + 1, 0), v(m + 1, 0);
  std::vector<size_t> row_of_column(m + 1, 0), way(m + 1, 0);
  for (size_t row = 1; row <= n; ++row) {
    row_of_column[0] = row;
    size_t column = 0;
    std::vector<double> slack(m + 1, kInf);
    std::vector<bool> used(m + 1, false);
    do {
      used[column] = true;
      const size_t r = row_of_column[column];
      double delta = kInf;
      size_t next = 0;
      for (size_t c = 1; c <= m; ++c) {
        if (used[c]) continue;
        const double reduced = cost[r - 1][c - 1] - u[r] - v[c];
        if (reduced < slack[c]) {
          slack[c] = reduced;
          way[c] = column;
        }
        if (slack[c] < delta) {
          delta = slack[c];
          next = c;
        }
      }
      for (size_t c = 0; c <= m; ++c) {
        if (used[c]) {
          u[row_of_column[c]] += delta;
          v[c] -= delta;
        } else {
          slack[c] -= delta;
        }
      }
      column = next;
    } while (row_of_column[column] != 0);
    do {  // flip the augmenting path back to its start
      const size_t previous = way[column];
      row_of_column[column] = row_of_column[previous];
      column = previous;
    } while (column != 0);
  }
  std::vector<size_t> column_of_row(n);
  for (size_t c = 1; c <= m; ++c)
    if (row_of_column[c] != 0) column_of_row[row_of_column[c] - 1] = c - 1;
  return column_of_row;
}

}  // namespace

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
  std::vector<std::vector<double>> cost(probes, std::vector<double>(persons + probes, 0));
  for (size_t p = 0; p < probes; ++p)
    for (size_t q = 0; q < persons; ++q) cost[p][q] = scores[p][q] >= threshold ? -(bonus + scores[p][q] - lowest) : 0;
  const std::vector<size_t> column = min_cost_assignment(cost);
  std::vector<std::optional<size_t>> identity(probes);
  for (size_t p = 0; p < probes; ++p)
    if (column[p] < persons && scores[p][column[p]] >= threshold) identity[p] = column[p];
  return identity;
}

}  // namespace stride::gallery
