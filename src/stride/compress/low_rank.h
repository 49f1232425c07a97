#pragma once
// Low-rank factorisation of a matrix by its singular value decomposition (LAPACK dgesdd, double
// precision): M ≈ L·R with L = U_r·sqrt(Σ_r) and R = sqrt(Σ_r)·V_rᵀ, the best rank-r approximation
// in the Frobenius norm (Eckart–Young). Matrices are dense and row-major.
#include <cstdint>
#include <span>
#include <vector>

namespace stride {

// M = U·diag(sigma)·Vt with k = min(rows, cols) singular values in descending order.
struct Svd {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> u;      // rows × k
  std::vector<double> sigma;  // k
  std::vector<double> vt;     // k × cols
  int64_t full_rank() const { return static_cast<int64_t>(sigma.size()); }
};

// The thin SVD of the row-major rows × cols matrix `m`. Throws stride::Error on an empty or too
// large matrix, or when LAPACK does not converge.
Svd svd(std::span<const double> m, int64_t rows, int64_t cols);

struct LowRankFactors {
  int64_t rank = 0;
  std::vector<double> left;   // rows × rank: U_r·sqrt(Σ_r)
  std::vector<double> right;  // rank × cols: sqrt(Σ_r)·V_rᵀ
  // ||M − L·R||_F / ||M||_F = sqrt(Σ of the dropped σ²) / sqrt(Σ of all σ²); 0 for a zero matrix.
  double relative_error = 0;
};

// The first `rank` components of `svd` (1 <= rank <= svd.full_rank(); throws stride::Error otherwise),
// the singular values split as square roots into both factors.
LowRankFactors truncate(const Svd& svd, int64_t rank);

}  // namespace stride
