// The ops the ONNX backend test cases of softmax/log-softmax written out need (Exp, Log,
// ReduceSum), and the integer forms of Add/Sub/Mul and MaxPool, against values worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "one_node.h"

namespace stride {
namespace {

using ::testing::AllOf;
using testing::attrs;
using testing::float_values;
using ::testing::FloatNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;
using testing::run_one_node_single;
using ::testing::ThrowsMessage;

TEST(ExpAndLog, AreInverses) {
  const Tensor x = Tensor::from_vector<float>({3}, {0, 1, -2});
  EXPECT_THAT(float_values(run_one_node_single("Exp", {{"x", x}})),
              Pointwise(FloatNear(1e-6f), std::vector<float>{1, std::exp(1.0f), std::exp(-2.0f)}));
  const Tensor y = Tensor::from_vector<float>({3}, {1, std::exp(2.0f), 0});
  const auto log = float_values(run_one_node_single("Log", {{"y", y}}));
  EXPECT_FLOAT_EQ(log[0], 0.0f);
  EXPECT_FLOAT_EQ(log[1], 2.0f);
  EXPECT_EQ(log[2], -INFINITY);
}

// [[1, 5, 3], [4, 2, 6]]; ReduceSum takes its axes as input #1 (opset 13), here a graph input
// as in ONNX's own test cases, or the '$' initializer.
TEST(ReduceSum, AxesFromAnInputOrAllByDefault) {
  const Tensor m = Tensor::from_vector<float>({2, 3}, {1, 5, 3, 4, 2, 6});
  const Tensor rows = run_one_node_single("ReduceSum", {{"x", m}, {"axes", Tensor::from_vector<int64_t>({1}, {1})}},
                                          attrs({{"keepdims", int64_t{0}}}));
  EXPECT_EQ(rows.shape(), (Shape{2}));
  EXPECT_EQ(float_values(rows), (std::vector<float>{9, 12}));
  const Tensor all = run_one_node_single("ReduceSum", {{"x", m}});
  EXPECT_EQ(all.shape(), (Shape{1, 1}));
  EXPECT_EQ(float_values(all), (std::vector<float>{21}));
  const Tensor none = run_one_node_single("ReduceSum", {{"x", m}, {"$axes", Tensor::from_vector<int64_t>({0}, {})}},
                                          attrs({{"noop_with_empty_axes", int64_t{1}}}));
  EXPECT_EQ(none, m);
}

// Integers wrap around as numpy's do: 200 + 100 = 44 in u8, 100 + 100 = -56 in s8.
TEST(IntegerArithmetic, WrapsAroundLikeNumpy) {
  const Tensor a = Tensor::from_vector<uint8_t>({3}, {200, 3, 0});
  const Tensor b = Tensor::from_vector<uint8_t>({3}, {100, 5, 1});
  EXPECT_EQ(run_one_node_single("Add", {{"a", a}, {"b", b}}), Tensor::from_vector<uint8_t>({3}, {44, 8, 1}));
  EXPECT_EQ(run_one_node_single("Sub", {{"a", a}, {"b", b}}), Tensor::from_vector<uint8_t>({3}, {100, 254, 255}));
  EXPECT_EQ(run_one_node_single("Mul", {{"a", a}, {"b", b}}), Tensor::from_vector<uint8_t>({3}, {32, 15, 0}));
  const Tensor c = Tensor::from_vector<int8_t>({2}, {100, -3});
  EXPECT_EQ(run_one_node_single("Add", {{"c", c}, {"$d", Tensor::from_vector<int8_t>({1}, {100})}}),
            Tensor::from_vector<int8_t>({2}, {-56, 97}));
  const Tensor big = Tensor::from_vector<int64_t>({1}, {INT64_MAX});
  EXPECT_EQ(run_one_node_single("Add", {{"x", big}, {"$one", Tensor::from_vector<int64_t>({1}, {1})}}),
            Tensor::from_vector<int64_t>({1}, {INT64_MIN}));
}

TEST(IntegerArithmetic, MixedDtypesAndIntegerDivAreRefusedByName) {
  const Tensor a = Tensor::from_vector<uint8_t>({1}, {1});
  EXPECT_THAT(
      [&] {
        run_one_node_single("Add", {{"a", a}, {"b", Tensor::from_vector<float>({1}, {1})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("'add' (Add)"), HasSubstr("input #1 ('b') is f32"))));
  EXPECT_THAT(
      [&] {
        run_one_node_single("Div", {{"a", a}, {"b", a}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("'div' (Div)"), HasSubstr("u8"))));
}

// A 2x2 window over [[1, 250], [7, 3]] and its padded corners: the max of u8 pixels stays u8.
TEST(MaxPool, PicksTheMaximumOfIntegerImages) {
  const Tensor x = Tensor::from_vector<uint8_t>({1, 1, 2, 2}, {1, 250, 7, 3});
  const Tensor y = run_one_node_single(
      "MaxPool", {{"x", x}},
      attrs({{"kernel_shape", std::vector<int64_t>{2, 2}}, {"pads", std::vector<int64_t>{1, 1, 0, 0}}}));
  EXPECT_EQ(y, Tensor::from_vector<uint8_t>({1, 1, 2, 2}, {1, 250, 7, 250}));
  const Tensor s = Tensor::from_vector<int8_t>({1, 1, 1, 2}, {-128, -5});
  EXPECT_EQ(run_one_node_single("MaxPool", {{"s", s}}, attrs({{"kernel_shape", std::vector<int64_t>{1, 2}}})),
            Tensor::from_vector<int8_t>({1, 1, 1, 1}, {-5}));
}

}  // namespace
}  // namespace stride
