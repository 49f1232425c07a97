// Gemm and MatMul against products worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ref/one_node.h"
#include "stride/ir/cost.h"

namespace stride {
namespace {

using testing::attrs;
using ::testing::HasSubstr;
using testing::run_one_node_single;
using testing::tensor_near;
using ::testing::ThrowsMessage;

Tensor t(const Shape& shape, const std::vector<float>& values) { return Tensor::from_vector<float>(shape, values); }

// A = [[1,2],[3,4]], B = [[5,6],[7,8]]; A·B = [[19,22],[43,50]].
const Tensor kA = t({2, 2}, {1, 2, 3, 4});
const Tensor kB = t({2, 2}, {5, 6, 7, 8});

Tensor gemm(const Tensor& a, const Tensor& b, Attributes at = {}) {
  return run_one_node_single("Gemm", {{"a", a}, {"$b", b}}, std::move(at));
}
Tensor gemm(const Tensor& a, const Tensor& b, const Tensor& c, Attributes at = {}) {
  return run_one_node_single("Gemm", {{"a", a}, {"$b", b}, {"$c", c}}, std::move(at));
}
Tensor matmul(const Tensor& a, const Tensor& b) { return run_one_node_single("MatMul", {{"a", a}, {"b", b}}); }

TEST(Gemm, PlainProduct) { EXPECT_TRUE(tensor_near(gemm(kA, kB), {2, 2}, {19, 22, 43, 50})); }

TEST(Gemm, Transposes) {
  EXPECT_TRUE(tensor_near(gemm(kA, kB, attrs({{"transA", int64_t{1}}})), {2, 2}, {26, 30, 38, 44}));
  EXPECT_TRUE(tensor_near(gemm(kA, kB, attrs({{"transB", int64_t{1}}})), {2, 2}, {17, 23, 39, 53}));
  // Non-square, both transposed: A is stored [3, 2], B [1, 3]; A'·B' = [[1,2,3],[4,5,6]]·[1,0,-1]ᵀ.
  const Tensor y = gemm(t({3, 2}, {1, 4, 2, 5, 3, 6}), t({1, 3}, {1, 0, -1}),
                        attrs({{"transA", int64_t{1}}, {"transB", int64_t{1}}}));
  EXPECT_TRUE(tensor_near(y, {2, 1}, {-2, -2}));
}

TEST(Gemm, AlphaBetaAndBroadcastC) {
  // 2·A·B + 0.5·10
  EXPECT_TRUE(tensor_near(gemm(kA, kB, Tensor::scalar(10), attrs({{"alpha", 2.0f}, {"beta", 0.5f}})), {2, 2},
                          {43, 49, 91, 105}));
  EXPECT_TRUE(tensor_near(gemm(kA, kB, t({2}, {1, 2})), {2, 2}, {20, 24, 44, 52}));     // a row for every row
  EXPECT_TRUE(tensor_near(gemm(kA, kB, t({2, 1}, {1, 2})), {2, 2}, {20, 23, 45, 52}));  // a column for every column
  EXPECT_TRUE(tensor_near(gemm(kA, kB, t({1, 1}, {-19})), {2, 2}, {0, 3, 24, 31}));     // one value everywhere
  EXPECT_TRUE(tensor_near(gemm(kA, kB, t({2, 2}, {1, 2, 3, 4}), attrs({{"beta", -1.0f}})), {2, 2}, {18, 20, 40, 46}));
}

TEST(Gemm, RefusesMismatchedShapes) {
  EXPECT_THAT(
      [&] {
        gemm(t({2, 3}, std::vector<float>(6)), kB);
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'gemm' (Gemm)"), HasSubstr("inner dimensions differ"))));
  EXPECT_THAT(
      [&] {
        gemm(kA, kB, t({3}, {1, 2, 3}));
      },
      ThrowsMessage<Error>(HasSubstr("does not broadcast to the output [2,2]")));
  EXPECT_THAT([&] { gemm(t({1, 2, 2}, {1, 2, 3, 4}), kB); }, ThrowsMessage<Error>(HasSubstr("must be matrices")));
  EXPECT_THAT(
      [&] {
        gemm(kA, kB, attrs({{"transA", int64_t{2}}}));
      },
      ThrowsMessage<Error>(HasSubstr("transA must be 0 or 1")));
}

TEST(Gemm, Macs) {
  const Graph g = testing::one_node_graph(
      "Gemm", {{"a", Tensor(DType::f32, {4, 3})}, {"$b", Tensor(DType::f32, {5, 3})}, {"$c", Tensor(DType::f32, {5})}},
      attrs({{"transB", int64_t{1}}}));
  const ModelCost cost = model_cost(g);
  EXPECT_EQ(cost.macs, 4 * 5 * 3);
  EXPECT_EQ(cost.params, 15 + 5);
  EXPECT_EQ(cost.layers.at(0).output_shape, (Shape{4, 5}));
}

TEST(MatMul, Matrices) { EXPECT_TRUE(tensor_near(matmul(kA, kB), {2, 2}, {19, 22, 43, 50})); }

TEST(MatMul, VectorsArePromotedAndTheAddedDimensionDropped) {
  EXPECT_TRUE(tensor_near(matmul(t({2}, {1, 2}), kB), {2}, {19, 22}));
  EXPECT_TRUE(tensor_near(matmul(kA, t({2}, {1, 1})), {2}, {3, 7}));
  EXPECT_TRUE(tensor_near(matmul(t({3}, {1, 2, 3}), t({3}, {4, 5, 6})), {}, {32}));
  // A vector against a batch of matrices: one row per matrix.
  const Tensor batch = t({3, 2, 2}, {1, 2, 3, 4, 0, 1, 1, 0, 1, 1, 1, 1});
  EXPECT_TRUE(tensor_near(matmul(t({2}, {1, 1}), batch), {3, 2}, {4, 6, 1, 1, 2, 2}));
}

TEST(MatMul, BatchedWithBroadcasting) {
  // A batch of two matrices (identity, swap) times one shared B.
  const Tensor a = t({2, 2, 2}, {1, 0, 0, 1, 0, 1, 1, 0});
  EXPECT_TRUE(tensor_near(matmul(a, t({2, 2}, {1, 2, 3, 4})), {2, 2, 2}, {1, 2, 3, 4, 3, 4, 1, 2}));
  // Both broadcast: rows a_i = e_i ([2,1,1,2]) against columns b_j = (1,2), (3,4), (5,6) ([1,3,2,1]).
  const Tensor rows = t({2, 1, 1, 2}, {1, 0, 0, 1});
  const Tensor cols = t({1, 3, 2, 1}, {1, 2, 3, 4, 5, 6});
  EXPECT_TRUE(tensor_near(matmul(rows, cols), {2, 3, 1, 1}, {1, 3, 5, 2, 4, 6}));
}

TEST(MatMul, RefusesMismatchedShapes) {
  EXPECT_THAT(
      [&] {
        matmul(t({2, 3}, std::vector<float>(6)), kB);
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'matmul' (MatMul)"), HasSubstr("inner dimensions differ"))));
  EXPECT_THAT(
      [&] {
        matmul(t({2, 2, 2}, std::vector<float>(8)), t({3, 2, 2}, std::vector<float>(12)));
      },
      ThrowsMessage<Error>(HasSubstr("do not broadcast")));
  EXPECT_THAT([&] { matmul(Tensor::scalar(1), kB); }, ThrowsMessage<Error>(HasSubstr("rank 1 or more")));
}

TEST(MatMul, MacsCountEveryMatrixOfTheBatch) {
  const Graph g =
      testing::one_node_graph("MatMul", {{"a", Tensor(DType::f32, {3, 4, 5})}, {"$b", Tensor(DType::f32, {5, 6})}});
  EXPECT_EQ(model_cost(g).macs, 3 * 4 * 6 * 5);
  const Graph dot = testing::one_node_graph("MatMul", {{"a", Tensor(DType::f32, {5})}, {"b", Tensor(DType::f32, {5})}});
  EXPECT_EQ(model_cost(dot).macs, 5);
}

}  // namespace
}  // namespace stride
