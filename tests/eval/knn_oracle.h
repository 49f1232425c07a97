#pragma once
// Independent, deliberately plain nearest-neighbour computations (double precision, full sort)
// that the optimised searches are checked against.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "stride/eval/metric.h"
#include "stride/eval/neighbour_search.h"

namespace stride::eval::testing {

struct Points {
  std::vector<float> values;
  int64_t rows = 0;
  int64_t cols = 0;
  MatrixView view() const { return MatrixView(values, rows, cols, "test points"); }
  std::vector<float> row(int64_t r) const { return {values.begin() + r * cols, values.begin() + (r + 1) * cols}; }
};

inline Points random_points(int64_t rows, int64_t cols, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Points p{std::vector<float>(static_cast<size_t>(rows * cols)), rows, cols};
  for (float& v : p.values) v = normal(rng);
  return p;
}

inline double oracle_distance(const std::vector<float>& a, const std::vector<float>& b, Metric metric) {
  double l1 = 0, l2 = 0, dot = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double x = a[i], y = b[i];
    l1 += std::abs(x - y);
    l2 += (x - y) * (x - y);
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  switch (metric) {
    case Metric::l1:
      return l1;
    case Metric::l2:
      return std::sqrt(l2);
    case Metric::cosine:
      return aa == 0 || bb == 0 ? 1.0 : 1.0 - dot / std::sqrt(aa * bb);
  }
  return NAN;
}

// Every probe's gallery rows sorted by (distance, row).
inline std::vector<std::vector<std::pair<double, int64_t>>> oracle_ranking(const Points& probes, const Points& gallery,
                                                                           Metric metric) {
  std::vector<std::vector<std::pair<double, int64_t>>> ranking(static_cast<size_t>(probes.rows));
  for (int64_t p = 0; p < probes.rows; ++p) {
    for (int64_t g = 0; g < gallery.rows; ++g)
      ranking[static_cast<size_t>(p)].push_back({oracle_distance(probes.row(p), gallery.row(g), metric), g});
    std::ranges::sort(ranking[static_cast<size_t>(p)]);
  }
  return ranking;
}

// The search found the oracle's k nearest: same distances in the same order, and the same rows
// wherever the oracle's distance is not shared (within rounding) with another gallery row.
inline void expect_oracle_neighbours(const Neighbours& found, const Points& probes, const Points& gallery,
                                     Metric metric, int k) {
  constexpr double kTolerance = 1e-4;
  ASSERT_EQ(found.probes, probes.rows);
  ASSERT_EQ(found.k, k);
  const auto ranking = oracle_ranking(probes, gallery, metric);
  for (int64_t p = 0; p < probes.rows; ++p) {
    const auto& expected = ranking[static_cast<size_t>(p)];
    for (size_t j = 0; j < static_cast<size_t>(k); ++j) {
      const double d = expected[j].first;
      EXPECT_NEAR(found.distances_of(p)[j], d, kTolerance * std::max(1.0, d)) << "probe " << p << " rank " << j;
      const bool unique = (j == 0 || expected[j - 1].first < d - kTolerance) &&
                          (j + 1 == expected.size() || expected[j + 1].first > d + kTolerance);
      if (unique) {
        EXPECT_EQ(found.indices_of(p)[j], expected[j].second) << "probe " << p << " rank " << j;
      }
    }
  }
}

}  // namespace stride::eval::testing
