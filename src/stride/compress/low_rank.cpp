#include "stride/compress/low_rank.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>

#include "stride/core/error.h"
#include "stride/core/shape.h"

// LAPACK's divide-and-conquer SVD (Fortran calling convention: every argument by pointer, the
// length of the character argument last).
extern "C" void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s, double* u,
                        const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* iwork,
                        int* info, std::size_t jobz_length);

namespace stride {
namespace {

size_t at(int64_t row, int64_t col, int64_t stride) { return static_cast<size_t>(row * stride + col); }

}  // namespace

Svd svd(std::span<const double> m, int64_t rows, int64_t cols) {
  if (rows < 1 || cols < 1) fail("SVD of an empty {}×{} matrix", rows, cols);
  if (rows > INT_MAX || cols > INT_MAX || rows * cols > kMaxTensorBytes / static_cast<int64_t>(sizeof(double)))
    fail("SVD of a {}×{} matrix: too large", rows, cols);
  if (static_cast<int64_t>(m.size()) != rows * cols)
    fail("SVD of a {}×{} matrix given {} values", rows, cols, m.size());
  const int64_t k = std::min(rows, cols);

  // LAPACK reads column-major: a[r + c·rows] = M[r, c].
  std::vector<double> a(m.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) a[at(c, r, rows)] = m[at(r, c, cols)];
  const int m_ = static_cast<int>(rows), n_ = static_cast<int>(cols), k_ = static_cast<int>(k);
  std::vector<double> sigma(static_cast<size_t>(k)), u(static_cast<size_t>(rows * k)),
      vt(static_cast<size_t>(k * cols));
  std::vector<int> iwork(static_cast<size_t>(8 * k));
  int info = 0;
  double work_size = 0;
  int lwork = -1;  // a workspace query first
  dgesdd_("S", &m_, &n_, a.data(), &m_, sigma.data(), u.data(), &m_, vt.data(), &k_, &work_size, &lwork, iwork.data(),
          &info, 1);
  if (info != 0) fail("SVD of a {}×{} matrix: LAPACK dgesdd workspace query failed (info {})", rows, cols, info);
  if (work_size > INT_MAX) fail("SVD of a {}×{} matrix: too large for LAPACK", rows, cols);
  lwork = static_cast<int>(work_size);
  std::vector<double> work(static_cast<size_t>(std::max(lwork, 1)));
  dgesdd_("S", &m_, &n_, a.data(), &m_, sigma.data(), u.data(), &m_, vt.data(), &k_, work.data(), &lwork, iwork.data(),
          &info, 1);
  if (info < 0) fail("SVD of a {}×{} matrix: LAPACK dgesdd rejected argument {}", rows, cols, -info);
  if (info > 0) fail("SVD of a {}×{} matrix did not converge (LAPACK dgesdd info {})", rows, cols, info);

  // Back to row-major: U is rows × k (ldu = rows), Vᵀ is k × cols (ldvt = k).
  Svd result{rows, cols, std::vector<double>(u.size()), std::move(sigma), std::vector<double>(vt.size())};
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < k; ++j) result.u[at(r, j, k)] = u[at(j, r, rows)];
  for (int64_t j = 0; j < k; ++j)
    for (int64_t c = 0; c < cols; ++c) result.vt[at(j, c, cols)] = vt[at(c, j, k)];
  return result;
}

LowRankFactors truncate(const Svd& svd, int64_t rank) {
  const int64_t k = svd.full_rank();
  if (rank < 1 || rank > k)
    fail("rank {} is outside 1..{} (the full rank of a {}×{} matrix)", rank, k, svd.rows, svd.cols);
  LowRankFactors f;
  f.rank = rank;
  f.left.resize(static_cast<size_t>(svd.rows * rank));
  f.right.resize(static_cast<size_t>(rank * svd.cols));
  for (int64_t j = 0; j < rank; ++j) {
    const double scale = std::sqrt(svd.sigma[static_cast<size_t>(j)]);
    for (int64_t r = 0; r < svd.rows; ++r) f.left[at(r, j, rank)] = svd.u[at(r, j, k)] * scale;
    for (int64_t c = 0; c < svd.cols; ++c) f.right[at(j, c, svd.cols)] = svd.vt[at(j, c, svd.cols)] * scale;
  }
  // ||M||_F² is the sum of all σ²; the error of the truncation that of the dropped ones. Summed
  // from the smallest, so that tiny tails are not lost to rounding.
  double dropped = 0, total = 0;
  for (int64_t j = k - 1; j >= 0; --j) {
    const double s2 = svd.sigma[static_cast<size_t>(j)] * svd.sigma[static_cast<size_t>(j)];
    total += s2;
    if (j >= rank) dropped += s2;
  }
  f.relative_error = total > 0 ? std::sqrt(dropped / total) : 0.0;
  return f;
}

}  // namespace stride
