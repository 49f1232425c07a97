#include <algorithm>

#include "stride/ir/ops/all_ops.h"

namespace stride::ops {
namespace {

void check_same_dtype(const InferContext& ctx, size_t i, const char* name) {
  if (ctx.input(i).dtype != ctx.input(0).dtype)
    ctx.fail("{} is {} but A is {}", name, dtype_name(ctx.input(i).dtype), dtype_name(ctx.input(0).dtype));
}

int64_t flag_attr(const InferContext& ctx, const char* name) {
  const int64_t v = ctx.attrs().get_int(name, 0);
  if (v != 0 && v != 1) ctx.fail("{} must be 0 or 1, got {}", name, v);
  return v;
}

// Gemm: Y[M, N] = alpha · A'[M, K] · B'[K, N] + beta · C, A' and B' being A and B transposed or not.
struct GemmDims {
  int64_t m, n, k;
};

GemmDims gemm_dims(const InferContext& ctx) {
  const Shape& a = ctx.shape(0);
  const Shape& b = ctx.shape(1);
  if (a.size() != 2 || b.size() != 2)
    ctx.fail("A and B must be matrices, got A {} and B {}", shape_str(a), shape_str(b));
  const bool trans_a = flag_attr(ctx, "transA") == 1;
  const bool trans_b = flag_attr(ctx, "transB") == 1;
  const int64_t k = trans_a ? a[0] : a[1];
  const int64_t kb = trans_b ? b[1] : b[0];
  if (k != kb)
    ctx.fail("inner dimensions differ: A {} (transA={}) gives K={}, B {} (transB={}) gives K={}", shape_str(a),
             int{trans_a}, k, shape_str(b), int{trans_b}, kb);
  return {trans_a ? a[1] : a[0], trans_b ? b[0] : b[1], k};
}

std::vector<TensorInfo> infer_gemm(const InferContext& ctx) {
  const GemmDims d = gemm_dims(ctx);
  check_same_dtype(ctx, 1, "B");
  if (ctx.has_input(2)) {
    check_same_dtype(ctx, 2, "C");
    // C broadcasts one way onto [M, N]: aligned to the right, each dimension equal or 1.
    const Shape& c = ctx.shape(2);
    const Shape y{d.m, d.n};
    bool ok = c.size() <= 2;
    for (size_t i = 0; ok && i < c.size(); ++i) {
      const int64_t target = y[2 - c.size() + i];
      ok = c[i] == target || c[i] == 1;
    }
    if (!ok) ctx.fail("C {} does not broadcast to the output [{},{}]", shape_str(c), d.m, d.n);
  }
  return {{ctx.input(0).dtype, {d.m, d.n}}};
}

int64_t gemm_macs(const InferContext& ctx, const std::vector<TensorInfo>&) {
  const GemmDims d = gemm_dims(ctx);
  return d.m * d.n * d.k;
}

// MatMul as numpy.matmul: a 1-D A is a row [1, K], a 1-D B a column [K, 1] (the added dimension is
// dropped from the result), and the leading (batch) dimensions broadcast.
struct MatMulDims {
  Shape batch;
  int64_t m, n, k;
  Shape output;
};

MatMulDims matmul_dims(const InferContext& ctx) {
  const Shape& a_in = ctx.shape(0);
  const Shape& b_in = ctx.shape(1);
  if (a_in.empty() || b_in.empty())
    ctx.fail("A and B must have rank 1 or more, got A {} and B {}", shape_str(a_in), shape_str(b_in));
  const Shape a = a_in.size() == 1 ? Shape{1, a_in[0]} : a_in;
  const Shape b = b_in.size() == 1 ? Shape{b_in[0], 1} : b_in;
  MatMulDims d{{}, a[a.size() - 2], b.back(), a.back(), {}};
  if (b[b.size() - 2] != d.k)
    ctx.fail("inner dimensions differ: A {} has K={}, B {} has K={}", shape_str(a_in), d.k, shape_str(b_in),
             b[b.size() - 2]);

  const size_t a_batch = a.size() - 2, b_batch = b.size() - 2;
  const size_t rank = std::max(a_batch, b_batch);
  d.batch.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Right-aligned: dimension i of the result reads dimension i - (rank - own rank) of each input.
    const int64_t da = i + a_batch >= rank ? a[i + a_batch - rank] : 1;
    const int64_t db = i + b_batch >= rank ? b[i + b_batch - rank] : 1;
    if (da != db && da != 1 && db != 1)
      ctx.fail("batch dimensions of A {} and B {} do not broadcast", shape_str(a_in), shape_str(b_in));
    d.batch[i] = da == 1 ? db : da;
  }
  d.output = d.batch;
  if (a_in.size() > 1) d.output.push_back(d.m);
  if (b_in.size() > 1) d.output.push_back(d.n);
  return d;
}

std::vector<TensorInfo> infer_matmul(const InferContext& ctx) {
  const MatMulDims d = matmul_dims(ctx);
  check_same_dtype(ctx, 1, "B");
  return {{ctx.input(0).dtype, d.output}};
}

// MatMulInteger: A and B u8 or s8, optional zero points of the same dtype — A's one value (per
// tensor), B's one value or one per output column — and the int32 product of (A - a_zp)·(B - b_zp).
std::vector<TensorInfo> infer_matmul_integer(const InferContext& ctx) {
  const MatMulDims d = matmul_dims(ctx);
  for (size_t i = 0; i < 4; ++i) {
    if (!ctx.has_input(i)) continue;
    const DType t = ctx.input(i).dtype;
    if (t != DType::u8 && t != DType::s8) ctx.fail("input #{} is {}; expected u8 or s8", i, dtype_name(t));
    if (i >= 2 && t != ctx.input(i - 2).dtype)
      ctx.fail("zero point #{} is {} but its data is {}", i, dtype_name(t), dtype_name(ctx.input(i - 2).dtype));
  }
  if (ctx.has_input(2) && shape_numel(ctx.shape(2)) != 1)
    ctx.fail("A's zero point must be one value (per-row zero points are not supported), got {}",
             shape_str(ctx.shape(2)));
  if (ctx.has_input(3) && shape_numel(ctx.shape(3)) != 1 && (ctx.shape(3).size() != 1 || ctx.shape(3)[0] != d.n))
    ctx.fail("B's zero point must be one value or one per column ({}), got {}", d.n, shape_str(ctx.shape(3)));
  return {{DType::s32, d.output}};
}

int64_t matmul_macs(const InferContext& ctx, const std::vector<TensorInfo>&) {
  const MatMulDims d = matmul_dims(ctx);
  return shape_numel(d.batch) * d.m * d.n * d.k;
}

}  // namespace

void register_linear_ops(OpRegistry& registry) {
  registry.add({.type = "Gemm", .min_inputs = 2, .max_inputs = 3, .infer = infer_gemm, .macs = gemm_macs});
  registry.add({.type = "MatMul", .min_inputs = 2, .max_inputs = 2, .infer = infer_matmul, .macs = matmul_macs});
  registry.add(
      {.type = "MatMulInteger", .min_inputs = 2, .max_inputs = 4, .infer = infer_matmul_integer, .macs = matmul_macs});
}

}  // namespace stride::ops
