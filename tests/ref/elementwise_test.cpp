// Element-wise ops against values worked out by hand from the ONNX operator definitions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "one_node.h"

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

Tensor f32(Shape shape, std::vector<float> values) { return Tensor::from_vector<float>(std::move(shape), values); }

TEST(LeakyRelu, ScalesNegativesByAlphaWithDefaultOneHundredth) {
  const Tensor x = f32({4}, {-2.0f, -0.5f, 0.0f, 3.0f});
  EXPECT_THAT(float_values(run_one_node_single("LeakyRelu", {{"x", x}})),
              Pointwise(FloatNear(1e-7f), std::vector<float>{-0.02f, -0.005f, 0.0f, 3.0f}));
  EXPECT_EQ(float_values(run_one_node_single("LeakyRelu", {{"x", x}}, attrs({{"alpha", 0.5f}}))),
            (std::vector<float>{-1.0f, -0.25f, 0.0f, 3.0f}));
}

TEST(Sigmoid, MatchesHandValues) {
  // sigmoid(±ln 3) = 1 / (1 + 3^∓1) = 3/4 and 1/4.
  const Tensor x = f32({5}, {0.0f, std::log(3.0f), -std::log(3.0f), 100.0f, -100.0f});
  EXPECT_THAT(float_values(run_one_node_single("Sigmoid", {{"x", x}})),
              Pointwise(FloatNear(1e-6f), std::vector<float>{0.5f, 0.75f, 0.25f, 1.0f, 0.0f}));
}

TEST(Tanh, MatchesHandValues) {
  // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6.
  const Tensor x = f32({3}, {0.0f, std::log(2.0f), -std::log(2.0f)});
  EXPECT_THAT(float_values(run_one_node_single("Tanh", {{"x", x}})),
              Pointwise(FloatNear(1e-6f), std::vector<float>{0.0f, 0.6f, -0.6f}));
}

TEST(Clip, BoundsAsInputsAsAttributesOrAbsent) {
  const Tensor x = f32({5}, {-3.0f, -1.0f, 0.5f, 2.0f, 7.0f});
  const Tensor lo = Tensor::scalar(-1.5f);
  const Tensor hi = Tensor::scalar(2.0f);
  const std::vector<float> both{-1.5f, -1.0f, 0.5f, 2.0f, 2.0f};
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}, {"$lo", lo}, {"$hi", hi}})), both);
  // Opset 11 bounds may also be computed at run time.
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}, {"lo", lo}, {"hi", hi}})), both);
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}}, attrs({{"min", -1.5f}, {"max", 2.0f}}))), both);
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}, {"", {}}, {"$hi", hi}})),
            (std::vector<float>{-3.0f, -1.0f, 0.5f, 2.0f, 2.0f}));
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}}, attrs({{"min", 0.0f}}))),
            (std::vector<float>{0.0f, 0.0f, 0.5f, 2.0f, 7.0f}));
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}})), float_values(x));
}

TEST(Clip, MinAboveMaxGivesMaxEverywhere) {
  const Tensor x = f32({3}, {-5.0f, 0.0f, 5.0f});
  EXPECT_EQ(float_values(run_one_node_single("Clip", {{"x", x}}, attrs({{"min", 2.0f}, {"max", 1.0f}}))),
            (std::vector<float>{1.0f, 1.0f, 1.0f}));
}

TEST(Clip, RefusesBadBounds) {
  const Tensor x = f32({2}, {1.0f, 2.0f});
  EXPECT_THAT(
      [&] {
        run_one_node("Clip", {{"x", x}, {"$lo", f32({2}, {0.0f, 1.0f})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'clip'"), HasSubstr("scalar"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Clip", {{"x", x}, {"$lo", Tensor::scalar(0.0f)}}, attrs({{"min", 0.0f}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'clip'"), HasSubstr("both"))));
}

// Integer Clip takes bounds of X's own dtype; an absent bound is the dtype's limit.
TEST(Clip, IntegerBoundsOfTheInputsDtype) {
  const Tensor s8 = Tensor::from_vector<int8_t>({5}, {-128, -5, 0, 7, 127});
  EXPECT_EQ(run_one_node_single("Clip", {{"x", s8}, {"lo", Tensor::from_vector<int8_t>({}, {-4})}}),
            Tensor::from_vector<int8_t>({5}, {-4, -4, 0, 7, 127}));
  EXPECT_EQ(run_one_node_single("Clip", {{"x", s8}, {"", {}}, {"$hi", Tensor::from_vector<int8_t>({}, {5})}}),
            Tensor::from_vector<int8_t>({5}, {-128, -5, 0, 5, 5}));
  EXPECT_EQ(run_one_node_single("Clip", {{"x", s8}}), s8);
  const Tensor u8 = Tensor::from_vector<uint8_t>({3}, {0, 100, 255});
  EXPECT_EQ(run_one_node_single("Clip", {{"x", u8},
                                         {"$lo", Tensor::from_vector<uint8_t>({}, {10})},
                                         {"$hi", Tensor::from_vector<uint8_t>({}, {200})}}),
            Tensor::from_vector<uint8_t>({3}, {10, 100, 200}));
  const int64_t big = int64_t{1} << 40;
  const Tensor s64 = Tensor::from_vector<int64_t>({3}, {-big, 3, big});
  EXPECT_EQ(run_one_node_single("Clip", {{"x", s64},
                                         {"$lo", Tensor::from_vector<int64_t>({1}, {-7})},
                                         {"$hi", Tensor::from_vector<int64_t>({1}, {big / 2})}}),
            Tensor::from_vector<int64_t>({3}, {-7, 3, big / 2}));
  const Tensor s32 = Tensor::from_vector<int32_t>({2}, {-70000, 70000});
  EXPECT_EQ(run_one_node_single("Clip", {{"x", s32}, {"", {}}, {"$hi", Tensor::from_vector<int32_t>({}, {-1})}}),
            Tensor::from_vector<int32_t>({2}, {-70000, -1}));
}

TEST(Clip, IntegerInputRefusesFloatBoundsByName) {
  const Tensor s8 = Tensor::from_vector<int8_t>({1}, {1});
  EXPECT_THAT(
      [&] {
        run_one_node("Clip", {{"x", s8}, {"$lo", Tensor::scalar(0.0f)}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'clip'"), HasSubstr("input #1 ('$lo') is f32 but input #0 is s8"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Clip", {{"x", s8}}, attrs({{"min", 0.0f}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'clip'"), HasSubstr("attribute"), HasSubstr("s8"))));
}

TEST(Binary, SameShapes) {
  const Tensor a = f32({2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
  const Tensor b = f32({2, 2}, {8.0f, 4.0f, 2.0f, 1.0f});
  auto run = [&](const char* op) { return float_values(run_one_node_single(op, {{"a", a}, {"b", b}})); };
  EXPECT_EQ(run("Add"), (std::vector<float>{9.0f, 6.0f, 5.0f, 5.0f}));
  EXPECT_EQ(run("Sub"), (std::vector<float>{-7.0f, -2.0f, 1.0f, 3.0f}));
  EXPECT_EQ(run("Mul"), (std::vector<float>{8.0f, 8.0f, 6.0f, 4.0f}));
  EXPECT_EQ(run("Div"), (std::vector<float>{0.125f, 0.5f, 1.5f, 4.0f}));
}

TEST(Binary, BroadcastsAScalar) {
  const Tensor a = f32({2, 3}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f});
  const Tensor y = run_one_node_single("Mul", {{"a", a}, {"$s", Tensor::scalar(10.0f)}});
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(float_values(y), (std::vector<float>{10.0f, 20.0f, 30.0f, 40.0f, 50.0f, 60.0f}));
  // The scalar on the left: 12 / a.
  EXPECT_EQ(float_values(run_one_node_single("Div", {{"$s", Tensor::scalar(12.0f)}, {"a", a}})),
            (std::vector<float>{12.0f, 6.0f, 4.0f, 3.0f, 2.4f, 2.0f}));
}

TEST(Binary, BroadcastsARowAndAColumn) {
  const Tensor a = f32({2, 3}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f});
  const Tensor row = f32({3}, {10.0f, 20.0f, 30.0f});
  const Tensor column = f32({2, 1}, {100.0f, 200.0f});
  EXPECT_EQ(float_values(run_one_node_single("Add", {{"a", a}, {"row", row}})),
            (std::vector<float>{11.0f, 22.0f, 33.0f, 14.0f, 25.0f, 36.0f}));
  EXPECT_EQ(float_values(run_one_node_single("Sub", {{"a", a}, {"column", column}})),
            (std::vector<float>{-99.0f, -98.0f, -97.0f, -196.0f, -195.0f, -194.0f}));
  // A column against a row makes the outer sum: y[i][j] = column[i] + row[j].
  const Tensor outer = run_one_node_single("Add", {{"column", column}, {"row", row}});
  EXPECT_EQ(outer.shape(), (Shape{2, 3}));
  EXPECT_EQ(float_values(outer), (std::vector<float>{110.0f, 120.0f, 130.0f, 210.0f, 220.0f, 230.0f}));
}

TEST(Binary, BroadcastExpandsTheRank) {
  // a [2,1] and b [3,1,2] give [3,2,2] with y[i][j][k] = a[j] + b[i][k].
  const Tensor a = f32({2, 1}, {1.0f, 2.0f});
  const Tensor b = f32({3, 1, 2}, {10.0f, 20.0f, 30.0f, 40.0f, 50.0f, 60.0f});
  const Tensor y = run_one_node_single("Add", {{"a", a}, {"b", b}});
  EXPECT_EQ(y.shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(float_values(y),
            (std::vector<float>{11.0f, 21.0f, 12.0f, 22.0f, 31.0f, 41.0f, 32.0f, 42.0f, 51.0f, 61.0f, 52.0f, 62.0f}));
}

TEST(Binary, BroadcastsEmptyDimensions) {
  const Tensor y = run_one_node_single("Add", {{"a", Tensor(DType::f32, {0, 3})}, {"b", f32({3}, {1, 2, 3})}});
  EXPECT_EQ(y.shape(), (Shape{0, 3}));
}

TEST(Binary, IncompatibleShapesNameTheNodeAndBothShapes) {
  const Tensor a = Tensor(DType::f32, {2, 3});
  EXPECT_THAT(
      [&] {
        run_one_node("Add", {{"a", a}, {"b", Tensor(DType::f32, {2})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'add' (Add)"), HasSubstr("[2,3]"), HasSubstr("[2]"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Mul", {{"a", a}, {"b", Tensor(DType::f32, {3, 1})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'mul' (Mul)"), HasSubstr("[3,1]"))));
}

TEST(Elementwise, RefusesNonFloatInputs) {
  const Tensor s64 = Tensor::from_vector<int64_t>({2}, {1, 2});
  EXPECT_THAT(
      [&] {
        run_one_node("Div", {{"a", s64}, {"b", s64}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'div'"), HasSubstr("s64"), HasSubstr("f32"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Sigmoid", {{"x", Tensor(DType::u8, {2})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'sigmoid'"), HasSubstr("u8"))));
}

TEST(Elementwise, WrongAttributeKindNamesTheNode) {
  EXPECT_THAT(
      [&] {
        run_one_node("LeakyRelu", {{"x", f32({1}, {1.0f})}}, attrs({{"alpha", int64_t{1}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'leakyrelu'"), HasSubstr("alpha"))));
}

}  // namespace
}  // namespace stride
