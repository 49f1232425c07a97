#include "stride/core/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "stride/core/error.h"

namespace stride::testing {
namespace {

double total(const std::vector<double>& cost, int64_t cols, const std::vector<int64_t>& column_of) {
  double sum = 0;
  for (size_t r = 0; r < column_of.size(); ++r)
    if (column_of[r] >= 0) sum += cost[r * static_cast<size_t>(cols) + static_cast<size_t>(column_of[r])];
  return sum;
}

// The least total over every way to pair min(rows, cols) rows with distinct columns.
double brute_force(const std::vector<double>& cost, int64_t rows, int64_t cols) {
  const int64_t pairs = std::min(rows, cols);
  std::vector<int64_t> columns(static_cast<size_t>(cols)), rows_order(static_cast<size_t>(rows));
  std::iota(columns.begin(), columns.end(), 0);
  double best = INFINITY;
  // Every injective map from the first `pairs` rows of a row permutation to a column permutation.
  std::iota(rows_order.begin(), rows_order.end(), 0);
  do {
    std::iota(columns.begin(), columns.end(), 0);
    do {
      double sum = 0;
      for (int64_t k = 0; k < pairs; ++k)
        sum += cost[static_cast<size_t>(rows_order[static_cast<size_t>(k)] * cols + columns[static_cast<size_t>(k)])];
      best = std::min(best, sum);
    } while (std::next_permutation(columns.begin(), columns.end()));
  } while (std::next_permutation(rows_order.begin(), rows_order.end()));
  return best;
}

TEST(Assignment, HandWorkedSquareCase) {
  // Of the six pairings the least is rows 0, 1, 2 to columns 1, 0, 2 (1 + 2 + 2); the next costs 6.
  const std::vector<double> cost = {4, 1, 3,  //
                                    2, 0, 5,  //
                                    3, 2, 2};
  const auto column_of = min_cost_assignment(cost, 3, 3);
  EXPECT_EQ(column_of, (std::vector<int64_t>{1, 0, 2}));  // 1 + 2 + 2 = 5
  EXPECT_DOUBLE_EQ(total(cost, 3, column_of), 5.0);
}

TEST(Assignment, MatchesBruteForceOnRandomRectangularProblems) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> value(-3.0, 10.0);
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t rows = 1 + trial % 5, cols = 1 + (trial / 5) % 5;
    std::vector<double> cost(static_cast<size_t>(rows * cols));
    for (double& c : cost) c = std::round(value(rng) * 4) / 4;  // ties are common
    const auto column_of = min_cost_assignment(cost, rows, cols);
    ASSERT_EQ(column_of.size(), static_cast<size_t>(rows));
    std::vector<int64_t> used;
    for (int64_t c : column_of)
      if (c >= 0) used.push_back(c);
    ASSERT_EQ(used.size(), static_cast<size_t>(std::min(rows, cols))) << rows << "x" << cols;
    std::sort(used.begin(), used.end());
    EXPECT_EQ(std::adjacent_find(used.begin(), used.end()), used.end()) << "a column used twice";
    EXPECT_NEAR(total(cost, cols, column_of), brute_force(cost, rows, cols), 1e-9) << rows << "x" << cols;
  }
}

TEST(Assignment, EmptyAndInvalidProblems) {
  EXPECT_EQ(min_cost_assignment({}, 2, 0), (std::vector<int64_t>{-1, -1}));
  EXPECT_TRUE(min_cost_assignment({}, 0, 3).empty());
  EXPECT_THROW(min_cost_assignment({1, 2, 3}, 2, 2), Error);
  EXPECT_THROW(min_cost_assignment({1, NAN, 3, 4}, 2, 2), Error);
}

}  // namespace
}  // namespace stride::testing
