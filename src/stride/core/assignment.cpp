#include "stride/core/assignment.h"

#include <cmath>
#include <limits>

#include "stride/core/error.h"

namespace stride {
namespace {

// Kuhn–Munkres with potentials for n <= m (rows <= cols): each row in turn is added and a shortest
// augmenting path found over reduced costs (the e-maxx formulation, 1-based with a virtual column 0).
std::vector<int64_t> assign_rows_to_columns(const std::vector<double>& cost, int64_t n, int64_t m, bool transposed) {
  const auto at = [&](int64_t i, int64_t j) {  // 1-based row i, column j of the n x m problem
    return transposed ? cost[static_cast<size_t>((j - 1) * n + (i - 1))] : cost[static_cast<size_t>((i - 1) * m + (j - 1))];
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(static_cast<size_t>(n + 1), 0.0), v(static_cast<size_t>(m + 1), 0.0);
  std::vector<int64_t> row_of(static_cast<size_t>(m + 1), 0), way(static_cast<size_t>(m + 1), 0);
  for (int64_t i = 1; i <= n; ++i) {
    row_of[0] = i;
    int64_t j0 = 0;
    std::vector<double> min_to(static_cast<size_t>(m + 1), inf);
    std::vector<bool> used(static_cast<size_t>(m + 1), false);
    do {
      used[static_cast<size_t>(j0)] = true;
      const int64_t i0 = row_of[static_cast<size_t>(j0)];
      double delta = inf;
      int64_t j1 = 0;
      for (int64_t j = 1; j <= m; ++j) {
        if (used[static_cast<size_t>(j)]) continue;
        const double reduced = at(i0, j) - u[static_cast<size_t>(i0)] - v[static_cast<size_t>(j)];
        if (reduced < min_to[static_cast<size_t>(j)]) {
          min_to[static_cast<size_t>(j)] = reduced;
          way[static_cast<size_t>(j)] = j0;
        }
        if (min_to[static_cast<size_t>(j)] < delta) {
          delta = min_to[static_cast<size_t>(j)];
          j1 = j;
        }
      }
      for (int64_t j = 0; j <= m; ++j) {
        if (used[static_cast<size_t>(j)]) {
          u[static_cast<size_t>(row_of[static_cast<size_t>(j)])] += delta;
          v[static_cast<size_t>(j)] -= delta;
        } else {
          min_to[static_cast<size_t>(j)] -= delta;
        }
      }
      j0 = j1;
    } while (row_of[static_cast<size_t>(j0)] != 0);
    do {  // flip the augmenting path
      const int64_t j1 = way[static_cast<size_t>(j0)];
      row_of[static_cast<size_t>(j0)] = row_of[static_cast<size_t>(j1)];
      j0 = j1;
    } while (j0 != 0);
  }
  // column_of[row] for the n x m problem, 0-based.
  std::vector<int64_t> column_of(static_cast<size_t>(n), -1);
  for (int64_t j = 1; j <= m; ++j)
    if (row_of[static_cast<size_t>(j)] != 0) column_of[static_cast<size_t>(row_of[static_cast<size_t>(j)] - 1)] = j - 1;
  return column_of;
}

}  // namespace

std::vector<int64_t> min_cost_assignment(const std::vector<double>& cost, int64_t rows, int64_t cols) {
  if (rows < 0 || cols < 0 || cost.size() != static_cast<size_t>(rows * cols))
    fail("assignment: {} costs for a {}x{} problem", cost.size(), rows, cols);
  for (double c : cost)
    if (!std::isfinite(c)) fail("assignment: a cost of {}; every cost must be finite", c);
  if (rows == 0 || cols == 0) return std::vector<int64_t>(static_cast<size_t>(rows), -1);
  if (rows <= cols) return assign_rows_to_columns(cost, rows, cols, false);
  // More rows than columns: assign the columns to rows, then invert.
  const std::vector<int64_t> row_of_column = assign_rows_to_columns(cost, cols, rows, true);
  std::vector<int64_t> column_of(static_cast<size_t>(rows), -1);
  for (int64_t c = 0; c < cols; ++c) column_of[static_cast<size_t>(row_of_column[static_cast<size_t>(c)])] = c;
  return column_of;
}

}  // namespace stride
