#include "stride/compress/low_rank.h"

#include <gtest/gtest.h>

#include <cmath>

#include "stride/core/error.h"
#include "stride/core/random.h"

namespace stride {
namespace {

std::vector<double> random_matrix(int64_t rows, int64_t cols, uint64_t seed) {
  Random rng(seed);
  std::vector<double> m(static_cast<size_t>(rows * cols));
  for (double& v : m) v = 2.0 * rng.uniform() - 1.0;
  return m;
}

// L·R for L rows × k and R k × cols, row-major.
std::vector<double> product(const std::vector<double>& l, const std::vector<double>& r, int64_t rows, int64_t k,
                            int64_t cols) {
  std::vector<double> m(static_cast<size_t>(rows * cols), 0.0);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < k; ++j)
      for (int64_t c = 0; c < cols; ++c) m[i * cols + c] += l[i * k + j] * r[j * cols + c];
  return m;
}

double frobenius(const std::vector<double>& m) {
  double s = 0;
  for (double v : m) s += v * v;
  return std::sqrt(s);
}

// `count` orthonormal columns of length n (n × count, row-major), by Gram–Schmidt on random vectors.
std::vector<double> orthonormal_columns(int64_t n, int64_t count, uint64_t seed) {
  std::vector<double> q = random_matrix(n, count, seed);
  for (int64_t j = 0; j < count; ++j) {
    for (int64_t p = 0; p < j; ++p) {
      double dot = 0;
      for (int64_t i = 0; i < n; ++i) dot += q[i * count + j] * q[i * count + p];
      for (int64_t i = 0; i < n; ++i) q[i * count + j] -= dot * q[i * count + p];
    }
    double norm = 0;
    for (int64_t i = 0; i < n; ++i) norm += q[i * count + j] * q[i * count + j];
    for (int64_t i = 0; i < n; ++i) q[i * count + j] /= std::sqrt(norm);
  }
  return q;
}

TEST(LowRank, FullRankReconstructsExactly) {
  for (const auto& [rows, cols] : {std::pair<int64_t, int64_t>{7, 5}, {4, 9}, {6, 6}, {1, 3}}) {
    SCOPED_TRACE(std::to_string(rows) + "×" + std::to_string(cols));
    const std::vector<double> m = random_matrix(rows, cols, 3);
    const Svd s = svd(m, rows, cols);
    ASSERT_EQ(s.full_rank(), std::min(rows, cols));
    for (size_t j = 1; j < s.sigma.size(); ++j) EXPECT_GE(s.sigma[j - 1], s.sigma[j]);
    const LowRankFactors f = truncate(s, s.full_rank());
    EXPECT_EQ(f.relative_error, 0.0);
    const std::vector<double> back = product(f.left, f.right, rows, f.rank, cols);
    for (size_t i = 0; i < m.size(); ++i) EXPECT_NEAR(back[i], m[i], 1e-10) << i;
  }
}

// M = Q1·diag(σ)·Q2ᵀ with σ chosen: the SVD finds σ, and dropping the smallest r leaves an error of
// sqrt(Σ dropped σ²) / ||M||_F, which is also what the factors give when multiplied out.
TEST(LowRank, TruncationErrorIsTheDroppedSingularValues) {
  const std::vector<double> sigma = {5, 3, 2, 1, 0.5};
  const int64_t rows = 8, cols = 6, k = 5;
  std::vector<double> q1 = orthonormal_columns(rows, k, 21), q2 = orthonormal_columns(cols, k, 22);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < k; ++j) q1[i * k + j] *= sigma[j];
  std::vector<double> q2t(static_cast<size_t>(k * cols));
  for (int64_t i = 0; i < cols; ++i)
    for (int64_t j = 0; j < k; ++j) q2t[j * cols + i] = q2[i * k + j];
  const std::vector<double> m = product(q1, q2t, rows, k, cols);

  const Svd s = svd(m, rows, cols);
  ASSERT_EQ(s.full_rank(), 6);
  for (size_t j = 0; j < sigma.size(); ++j) EXPECT_NEAR(s.sigma[j], sigma[j], 1e-12);
  EXPECT_NEAR(s.sigma[5], 0.0, 1e-12);

  const double norm = std::sqrt(25.0 + 9 + 4 + 1 + 0.25);
  for (int64_t rank = 1; rank <= 6; ++rank) {
    SCOPED_TRACE("rank " + std::to_string(rank));
    double dropped = 0;
    for (size_t j = static_cast<size_t>(rank); j < sigma.size(); ++j) dropped += sigma[j] * sigma[j];
    const LowRankFactors f = truncate(s, rank);
    EXPECT_NEAR(f.relative_error, std::sqrt(dropped) / norm, 1e-12);
    std::vector<double> diff = product(f.left, f.right, rows, rank, cols);
    for (size_t i = 0; i < m.size(); ++i) diff[i] -= m[i];
    EXPECT_NEAR(frobenius(diff) / frobenius(m), f.relative_error, 1e-12);
  }
  EXPECT_GT(truncate(s, 4).relative_error, 0.05);
}

TEST(LowRank, SingularValuesAreSplitEvenlyBetweenTheFactors) {
  const std::vector<double> m = random_matrix(5, 4, 8);
  const Svd s = svd(m, 5, 4);
  const LowRankFactors f = truncate(s, 4);
  // Column j of L and row j of R both have norm sqrt(σ_j) (U and V have unit columns).
  for (int64_t j = 0; j < 4; ++j) {
    double left = 0, right = 0;
    for (int64_t i = 0; i < 5; ++i) left += f.left[i * 4 + j] * f.left[i * 4 + j];
    for (int64_t c = 0; c < 4; ++c) right += f.right[j * 4 + c] * f.right[j * 4 + c];
    EXPECT_NEAR(left, s.sigma[j], 1e-12);
    EXPECT_NEAR(right, s.sigma[j], 1e-12);
  }
}

TEST(LowRank, RefusesEmptyMatricesAndImpossibleRanks) {
  EXPECT_THROW(svd({}, 0, 3), Error);
  EXPECT_THROW(svd(std::vector<double>(5), 2, 3), Error);
  const Svd s = svd(random_matrix(3, 2, 1), 3, 2);
  EXPECT_THROW(truncate(s, 0), Error);
  EXPECT_THROW(truncate(s, 3), Error);
  EXPECT_EQ(truncate(svd(std::vector<double>(6, 0.0), 2, 3), 1).relative_error, 0.0);
}

}  // namespace
}  // namespace stride
