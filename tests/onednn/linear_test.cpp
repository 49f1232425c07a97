// Gemm (inner product or matmul) and MatMul (batched, broadcast, 1-D) against ref.
#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

TEST(OnednnGemm, ConstantWeightsBecomeAnInnerProduct) {
  for (int64_t trans_b : {0, 1}) {
    SCOPED_TRACE("transB=" + std::to_string(trans_b));
    GraphMaker m;
    const Shape w = trans_b ? Shape{24, 40} : Shape{40, 24};
    m.node("Gemm", "y", {m.input("x", {5, 40}), m.weight("w", w), m.weight("c", {24})},
           attributes({{"transB", trans_b}, {"alpha", 0.5f}, {"beta", 2.0f}}));
    m.output("y");
    auto plan = expect_matches_ref(m.graph());
    EXPECT_EQ(step_computing(*plan, "y").primitive, "inner_product");
  }
}

TEST(OnednnGemm, RunTimeOperandsUseMatmul) {
  GraphMaker m;
  m.node("Gemm", "y", {m.input("a", {12, 6}), m.input("b", {9, 12}), m.weight("c", {1, 9})},
         attributes({{"transA", int64_t{1}}, {"transB", int64_t{1}}, {"beta", 0.25f}}));
  m.output("y");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(step_computing(*plan, "y").primitive, "matmul");
}

TEST(OnednnGemm, ScalarBiasAndNoBias) {
  GraphMaker m;
  m.node("Gemm", "y", {m.input("x", {3, 8}), m.weight("w", {8, 4}), m.weight("c", {1})});
  m.node("Gemm", "z", {"y", m.weight("w2", {4, 2})});
  m.output("z");
  expect_matches_ref(m.graph());
}

TEST(OnednnGemm, BiasVaryingPerRowIsRefused) {
  GraphMaker m;
  m.node("Gemm", "y", {m.input("x", {3, 8}), m.weight("w", {8, 4}), m.weight("c", {3, 4})});
  m.output("y");
  try {
    OnednnBackend().compile(m.graph(), {});
    FAIL() << "compiled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("node 'y' (Gemm)"), std::string::npos) << e.what();
  }
}

struct MatMulCase {
  const char* name;
  Shape a;
  Shape b;
  bool constant_b;
};

class MatMulVsRef : public ::testing::TestWithParam<MatMulCase> {};

TEST_P(MatMulVsRef, MatchesRef) {
  const MatMulCase& c = GetParam();
  GraphMaker m;
  const std::string b = c.constant_b ? m.weight("b", c.b) : m.input("b", c.b);
  m.node("MatMul", "y", {m.input("a", c.a), b});
  m.output("y");
  expect_matches_ref(m.graph());
}

INSTANTIATE_TEST_SUITE_P(Shapes, MatMulVsRef,
                         ::testing::Values(MatMulCase{"gaitset_hpm", {62, 3, 32}, {62, 32, 16}, true},
                                           MatMulCase{"batched_run_time", {4, 5, 7}, {4, 7, 3}, false},
                                           MatMulCase{"broadcast_weights", {2, 3, 5, 7}, {7, 4}, true},
                                           MatMulCase{"broadcast_batch", {2, 1, 5, 7}, {1, 3, 7, 4}, false},
                                           MatMulCase{"vector_times_matrix", {7}, {7, 4}, true},
                                           MatMulCase{"matrix_times_vector", {3, 7}, {7}, false}),
                         [](const ::testing::TestParamInfo<MatMulCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace stride::testing
