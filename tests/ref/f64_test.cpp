// f64 tensors (as ONNX files exported from float64 PyTorch models carry) on ref: Add, Sub, Mul, Div
// and Clip compute in double, so results that f32 cannot hold come out exact.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "one_node.h"

namespace stride {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::run_one_node_single;
using ::testing::ThrowsMessage;

Tensor f64(Shape shape, const std::vector<double>& values) {
  return Tensor::from_vector<double>(std::move(shape), values);
}

// 1e15 ± 1 needs 50 bits of mantissa; f32 has 24 and would give 1e15 back.
TEST(F64, ArithmeticIsExactInDouble) {
  const Tensor a = f64({2}, {1e15, 0.5});
  const Tensor b = f64({2}, {1.0, 0.25});
  EXPECT_EQ(run_one_node_single("Add", {{"a", a}, {"b", b}}), f64({2}, {1000000000000001.0, 0.75}));
  EXPECT_EQ(run_one_node_single("Sub", {{"a", a}, {"b", b}}), f64({2}, {999999999999999.0, 0.25}));
  EXPECT_EQ(run_one_node_single("Mul", {{"a", a}, {"b", b}}), f64({2}, {1e15, 0.125}));
  EXPECT_EQ(run_one_node_single("Div", {{"a", a}, {"b", b}}), f64({2}, {1e15, 2.0}));
}

// A constant scalar added to a row, as pytorch-operator's addconstant does.
TEST(F64, BroadcastsAConstant) {
  const Tensor x = f64({2, 2}, {1.0, -2.0, 1e-300, 3.5});
  EXPECT_EQ(run_one_node_single("Add", {{"x", x}, {"$one", f64({}, {1.0})}}), f64({2, 2}, {2.0, -1.0, 1.0, 4.5}));
}

TEST(F64, ClipsWithDoubleBounds) {
  const Tensor x = f64({3}, {-1e100, 0.1, 1e100});
  EXPECT_EQ(run_one_node_single("Clip", {{"x", x}, {"$lo", f64({}, {-1e50})}, {"$hi", f64({}, {1e50})}}),
            f64({3}, {-1e50, 0.1, 1e50}));
}

TEST(F64, MixingWithF32IsRefusedByName) {
  EXPECT_THAT(
      [&] {
        run_one_node_single("Add", {{"a", f64({1}, {1.0})}, {"b", Tensor::from_vector<float>({1}, {1.0f})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("'add' (Add)"), HasSubstr("input #1 ('b') is f32 but input #0 is f64"))));
}

}  // namespace
}  // namespace stride
