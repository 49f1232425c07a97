// ReduceMax, ReduceMean and Softmax against values worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "one_node.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

using ::testing::AllOf;
using testing::attrs;
using testing::float_values;
using ::testing::FloatNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;
using testing::run_one_node;
using testing::run_one_node_single;
using ::testing::ThrowsMessage;

// [[1, 5, 3],
//  [4, 2, 6]]
Tensor matrix() { return Tensor::from_vector<float>({2, 3}, {1, 5, 3, 4, 2, 6}); }

// x[i][j][k] = 4i + 2j + k.
Tensor cube() {
  std::vector<float> v(8);
  std::iota(v.begin(), v.end(), 0.0f);
  return Tensor::from_vector<float>({2, 2, 2}, v);
}

Tensor axes(std::vector<int64_t> values) {
  return Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values);
}

Attributes reduce_attrs(std::vector<int64_t> axes, int64_t keepdims) {
  return attrs({{"axes", std::move(axes)}, {"keepdims", keepdims}});
}

TEST(ReduceMax, OverOneAxisWithAndWithoutKeepdims) {
  const Tensor rows = run_one_node_single("ReduceMax", {{"x", matrix()}}, reduce_attrs({1}, 1));
  EXPECT_EQ(rows.shape(), (Shape{2, 1}));
  EXPECT_EQ(float_values(rows), (std::vector<float>{5, 6}));
  const Tensor flat = run_one_node_single("ReduceMax", {{"x", matrix()}}, reduce_attrs({-1}, 0));
  EXPECT_EQ(flat.shape(), (Shape{2}));
  EXPECT_EQ(float_values(flat), (std::vector<float>{5, 6}));
  const Tensor columns = run_one_node_single("ReduceMax", {{"x", matrix()}}, reduce_attrs({0}, 0));
  EXPECT_EQ(float_values(columns), (std::vector<float>{4, 5, 6}));
}

TEST(ReduceMean, OverOneAxisWithAndWithoutKeepdims) {
  const Tensor rows = run_one_node_single("ReduceMean", {{"x", matrix()}}, reduce_attrs({1}, 1));
  EXPECT_EQ(rows.shape(), (Shape{2, 1}));
  EXPECT_EQ(float_values(rows), (std::vector<float>{3, 4}));
  const Tensor columns = run_one_node_single("ReduceMean", {{"x", matrix()}}, reduce_attrs({-2}, 0));
  EXPECT_EQ(columns.shape(), (Shape{3}));
  EXPECT_EQ(float_values(columns), (std::vector<float>{2.5f, 3.5f, 4.5f}));
}

TEST(Reduce, SeveralAxes) {
  // Over i and k, for j = 0: {0, 1, 4, 5}; for j = 1: {2, 3, 6, 7}.
  const Tensor max = run_one_node_single("ReduceMax", {{"x", cube()}}, reduce_attrs({0, 2}, 1));
  EXPECT_EQ(max.shape(), (Shape{1, 2, 1}));
  EXPECT_EQ(float_values(max), (std::vector<float>{5, 7}));
  const Tensor mean = run_one_node_single("ReduceMean", {{"x", cube()}}, reduce_attrs({2, 0}, 0));
  EXPECT_EQ(mean.shape(), (Shape{2}));
  EXPECT_EQ(float_values(mean), (std::vector<float>{2.5f, 4.5f}));
  // Over i and j, for k = 0: {0, 2, 4, 6}; for k = 1: {1, 3, 5, 7}.
  EXPECT_EQ(float_values(run_one_node_single("ReduceMean", {{"x", cube()}}, reduce_attrs({0, 1}, 0))),
            (std::vector<float>{3, 4}));
}

TEST(Reduce, NoAxesReducesEverything) {
  const Tensor kept = run_one_node_single("ReduceMean", {{"x", matrix()}});
  EXPECT_EQ(kept.shape(), (Shape{1, 1}));
  EXPECT_EQ(float_values(kept), (std::vector<float>{3.5f}));
  const Tensor scalar = run_one_node_single("ReduceMax", {{"x", matrix()}}, attrs({{"keepdims", int64_t{0}}}));
  EXPECT_EQ(scalar.shape(), (Shape{}));
  EXPECT_EQ(float_values(scalar), (std::vector<float>{6}));
}

TEST(Reduce, NoopWithEmptyAxesIsTheIdentity) {
  const Tensor y = run_one_node_single("ReduceMax", {{"x", matrix()}, {"$axes", Tensor(DType::s64, {0})}},
                                       attrs({{"noop_with_empty_axes", int64_t{1}}}));
  EXPECT_EQ(y, matrix());
}

TEST(Reduce, AxesAsInputFromOpset18) {
  const Tensor y =
      run_one_node_single("ReduceMax", {{"x", cube()}, {"$axes", axes({1})}}, attrs({{"keepdims", int64_t{0}}}));
  // Over j: max(x[i][0][k], x[i][1][k]) = x[i][1][k] = 4i + 2 + k.
  EXPECT_EQ(y.shape(), (Shape{2, 2}));
  EXPECT_EQ(float_values(y), (std::vector<float>{2, 3, 6, 7}));
}

TEST(Reduce, MaxPropagatesNaN) {
  const Tensor x = Tensor::from_vector<float>({3}, {1.0f, NAN, 2.0f});
  EXPECT_TRUE(std::isnan(float_values(run_one_node_single("ReduceMax", {{"x", x}}))[0]));
}

TEST(Reduce, RefusesBadAxes) {
  auto fails_with = [](const char* text, const testing::NamedTensors& inputs, Attributes a) {
    EXPECT_THAT([&] { run_one_node("ReduceMean", inputs, a); },
                ThrowsMessage<Error>(AllOf(HasSubstr("node 'reducemean' (ReduceMean)"), HasSubstr(text))));
  };
  fails_with("out of range", {{"x", matrix()}}, reduce_attrs({2}, 1));
  fails_with("twice", {{"x", matrix()}}, reduce_attrs({1, -1}, 1));
  // Axes fed as a graph input are known to ref, which infers shapes per run, but not ahead of a run.
  const Graph fed = testing::one_node_graph("ReduceMean", {{"x", matrix()}, {"axes", axes({0})}});
  EXPECT_EQ(float_values(testing::run_one_node_graph(fed, {{"x", matrix()}, {"axes", axes({0})}}).at("out0")),
            (std::vector<float>{2.5f, 3.5f, 4.5f}));
  EXPECT_THAT([&] { infer_shapes(fed); }, ThrowsMessage<Error>(HasSubstr("before run time")));
  fails_with("both", {{"x", matrix()}, {"$axes", axes({0})}}, reduce_attrs({0}, 1));
  fails_with("f32", {{"x", Tensor(DType::s8, {2})}}, {});
}

TEST(Softmax, RowsSumToOneWithHandValues) {
  // softmax(0, ln 2, ln 3) = (1, 2, 3) / 6, whatever constant is added to the row.
  const float l2 = std::log(2.0f), l3 = std::log(3.0f);
  const Tensor x = Tensor::from_vector<float>({2, 3}, {0.0f, l2, l3, 1000.0f, 1000.0f + l2, 1000.0f + l3});
  const std::vector<float> y = float_values(run_one_node_single("Softmax", {{"x", x}}));
  EXPECT_THAT(y, Pointwise(FloatNear(1e-4f), std::vector<float>{1 / 6.f, 2 / 6.f, 3 / 6.f, 1 / 6.f, 2 / 6.f, 3 / 6.f}));
  EXPECT_NEAR(y[0] + y[1] + y[2], 1.0f, 1e-6f);
  EXPECT_NEAR(y[3] + y[4] + y[5], 1.0f, 1e-6f);
}

TEST(Softmax, NormalisesAlongTheGivenAxisOnly) {
  // Along axis 0 of [[0, 0], [ln 3, 0]]: column 0 gives (1, 3) / 4, column 1 gives (1, 1) / 2.
  const Tensor x = Tensor::from_vector<float>({2, 2}, {0.0f, 0.0f, std::log(3.0f), 0.0f});
  EXPECT_THAT(float_values(run_one_node_single("Softmax", {{"x", x}}, attrs({{"axis", int64_t{0}}}))),
              Pointwise(FloatNear(1e-6f), std::vector<float>{0.25f, 0.5f, 0.75f, 0.5f}));
  // Opset 13 normalises one axis, not the flattened trailing block: each pair sums to 1.
  const std::vector<float> y =
      float_values(run_one_node_single("Softmax", {{"x", cube()}}, attrs({{"axis", int64_t{1}}})));
  for (size_t i : {0, 1, 4, 5}) EXPECT_NEAR(y[i] + y[i + 2], 1.0f, 1e-6f) << i;
  EXPECT_THAT(
      [&] {
        run_one_node("Softmax", {{"x", x}}, attrs({{"axis", int64_t{2}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'softmax'"), HasSubstr("axis 2"))));
}

}  // namespace
}  // namespace stride
