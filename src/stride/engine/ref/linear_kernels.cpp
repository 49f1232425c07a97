#include <algorithm>
#include <vector>

#include "stride/engine/ref/f32_tensors.h"
#include "stride/engine/ref/kernels.h"

namespace stride::ref {
namespace {

// Y = alpha · A' · B' + beta · C, where A' = transA ? Aᵀ : A and B' = transB ? Bᵀ : B.
void gemm(const KernelContext& ctx) {
  const Attributes& attrs = ctx.node.attrs;
  const bool trans_a = attrs.get_int("transA", 0) == 1;
  const bool trans_b = attrs.get_int("transB", 0) == 1;
  const float alpha = attrs.get_float("alpha", 1.0f);
  const float beta = attrs.get_float("beta", 1.0f);
  const Shape& y_shape = ctx.output(0).shape();
  const int64_t m_size = y_shape[0], n_size = y_shape[1];
  const int64_t k_size = trans_a ? ctx.input(0).dim(0) : ctx.input(0).dim(1);
  const float* a = f32_input(ctx, 0);
  const float* b = f32_input(ctx, 1);
  const float* c = optional_f32_input(ctx, 2);
  float* y = f32_output(ctx, 0);

  // C broadcasts onto [M, N]: a dimension of size 1 (or a missing one) repeats, i.e. has stride 0.
  int64_t c_row_stride = 0, c_col_stride = 0;
  if (c) {
    const Shape& cs = ctx.input(2).shape();
    const int64_t c_rows = cs.size() == 2 ? cs[0] : 1;
    const int64_t c_cols = cs.empty() ? 1 : cs.back();
    c_row_stride = c_rows == 1 ? 0 : c_cols;
    c_col_stride = c_cols == 1 ? 0 : 1;
  }
  for (int64_t i = 0; i < m_size; ++i) {
    for (int64_t j = 0; j < n_size; ++j) {
      double acc = 0.0;
      for (int64_t k = 0; k < k_size; ++k) {
        const float a_ik = trans_a ? a[k * m_size + i] : a[i * k_size + k];
        const float b_kj = trans_b ? b[j * k_size + k] : b[k * n_size + j];
        acc += static_cast<double>(a_ik) * b_kj;
      }
      double value = alpha * acc;
      if (c) value += static_cast<double>(beta) * c[i * c_row_stride + j * c_col_stride];
      y[i * n_size + j] = static_cast<float>(value);
    }
  }
}

// For each matrix of the broadcast batch `batch`, the index of the matrix that an operand with
// batch dimensions `own` supplies (numpy broadcasting: right-aligned, size-1 dimensions repeat).
std::vector<int64_t> broadcast_matrix_indices(const Shape& batch, const Shape& own) {
  std::vector<int64_t> indices(static_cast<size_t>(shape_numel(batch)));
  const size_t skipped = batch.size() - own.size();
  for (size_t flat = 0; flat < indices.size(); ++flat) {
    int64_t rest = static_cast<int64_t>(flat), index = 0, own_stride = 1;
    for (size_t d = batch.size(); d-- > skipped;) {
      const int64_t coord = rest % batch[d];
      rest /= batch[d];
      const int64_t own_dim = own[d - skipped];
      if (own_dim != 1) index += coord * own_stride;
      own_stride *= own_dim;
    }
    indices[flat] = index;
  }
  return indices;
}

// numpy.matmul: 1-D A is [1, K], 1-D B is [K, 1]; leading dimensions are a broadcast batch. Each
// product term is `term(a, b, column)`, summed in Acc: f32 data in double, integer data exactly.
template <typename Acc, typename A, typename B, typename Y, typename Term>
void matmul_loop(const KernelContext& ctx, const A* a, const B* b, Y* y, Term term) {
  Shape a_shape = ctx.input(0).shape();
  Shape b_shape = ctx.input(1).shape();
  if (a_shape.size() == 1) a_shape.insert(a_shape.begin(), 1);
  if (b_shape.size() == 1) b_shape.push_back(1);
  const int64_t m_size = a_shape[a_shape.size() - 2], k_size = a_shape.back(), n_size = b_shape.back();
  const Shape a_batch(a_shape.begin(), a_shape.end() - 2);
  const Shape b_batch(b_shape.begin(), b_shape.end() - 2);
  Shape batch(std::max(a_batch.size(), b_batch.size()), 1);
  for (size_t d = 0; d < batch.size(); ++d) {
    const size_t from_end = batch.size() - d;
    const int64_t da = from_end <= a_batch.size() ? a_batch[a_batch.size() - from_end] : 1;
    const int64_t db = from_end <= b_batch.size() ? b_batch[b_batch.size() - from_end] : 1;
    batch[d] = da == 1 ? db : da;  // shape inference has checked that they are equal or one is 1
  }
  const std::vector<int64_t> a_index = broadcast_matrix_indices(batch, a_batch);
  const std::vector<int64_t> b_index = broadcast_matrix_indices(batch, b_batch);

  for (size_t p = 0; p < a_index.size(); ++p) {
    const A* a_mat = a + a_index[p] * m_size * k_size;
    const B* b_mat = b + b_index[p] * k_size * n_size;
    Y* y_mat = y + static_cast<int64_t>(p) * m_size * n_size;
    for (int64_t i = 0; i < m_size; ++i)
      for (int64_t j = 0; j < n_size; ++j) {
        Acc acc = 0;
        for (int64_t k = 0; k < k_size; ++k) acc += term(a_mat[i * k_size + k], b_mat[k * n_size + j], j);
        y_mat[i * n_size + j] = static_cast<Y>(acc);
      }
  }
}

void matmul(const KernelContext& ctx) {
  matmul_loop<double>(ctx, f32_input(ctx, 0), f32_input(ctx, 1), f32_output(ctx, 0),
                      [](float a, float b, int64_t) { return static_cast<double>(a) * b; });
}

// MatMulInteger: sum of (a - a_zero_point)·(b - b_zero_point[column]) in int32, as the spec defines
// it (a sum of K products of 8-bit values fits for K below 2^31 / 2^16).
template <typename A, typename B>
void matmul_integer_typed(const KernelContext& ctx) {
  const Tensor* a_zp = ctx.inputs.size() > 2 ? ctx.inputs[2] : nullptr;
  const Tensor* b_zp = ctx.inputs.size() > 3 ? ctx.inputs[3] : nullptr;
  const int32_t a_zero = a_zp ? a_zp->data<A>()[0] : 0;
  const Shape& b_shape = ctx.input(1).shape();
  std::vector<int32_t> b_zero(static_cast<size_t>(b_shape.size() == 1 ? 1 : b_shape.back()), 0);
  if (b_zp) {
    const B* zp = b_zp->data<B>();
    const size_t count = static_cast<size_t>(shape_numel(b_zp->shape()));
    for (size_t j = 0; j < b_zero.size(); ++j) b_zero[j] = zp[count == 1 ? 0 : j];
  }
  matmul_loop<int64_t>(
      ctx, ctx.input(0).data<A>(), ctx.input(1).data<B>(), ctx.output(0).data<int32_t>(),
      [&](A a, B b, int64_t j) { return static_cast<int64_t>(int32_t{a} - a_zero) * (int32_t{b} - b_zero[j]); });
}

void matmul_integer(const KernelContext& ctx) {
  const bool a_signed = ctx.input(0).dtype() == DType::s8, b_signed = ctx.input(1).dtype() == DType::s8;
  if (a_signed && b_signed) return matmul_integer_typed<int8_t, int8_t>(ctx);
  if (a_signed) return matmul_integer_typed<int8_t, uint8_t>(ctx);
  if (b_signed) return matmul_integer_typed<uint8_t, int8_t>(ctx);
  matmul_integer_typed<uint8_t, uint8_t>(ctx);
}

}  // namespace

void register_linear_kernels(KernelRegistry& registry) {
  registry.add("Gemm", gemm);
  registry.add("MatMul", matmul);
  registry.add("MatMulInteger", matmul_integer);
}

}  // namespace stride::ref
