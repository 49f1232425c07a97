#include <gtest/gtest.h>

#include "stride/core/half.h"
#include "stride/core/tensor.h"

namespace stride {
namespace {

TEST(Tensor, AllocatesZeroFilledWithShape) {
  Tensor t(DType::f32, {2, 3});
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.nbytes(), 24u);
  for (float v : t.values<float>()) EXPECT_EQ(v, 0.0f);
}

TEST(Tensor, RefusesAbsurdSizesBeforeAllocating) {
  EXPECT_THROW(Tensor(DType::f32, {1 << 20, 1 << 20, 1 << 10}), Error);
  EXPECT_THROW(Tensor(DType::f32, {int64_t{1} << 40, int64_t{1} << 40, int64_t{1} << 40}), Error);
  EXPECT_THROW(Tensor(DType::f32, {-1, 3}), Error);
}

TEST(Tensor, TypedAccessChecksDType) {
  Tensor t = Tensor::from_vector<int64_t>({2}, {4, -5});
  EXPECT_EQ(t.to_int64_vector(), (std::vector<int64_t>{4, -5}));
  EXPECT_THROW(t.data<float>(), Error);
}

TEST(Tensor, CastSaturatesAndRounds) {
  Tensor t = Tensor::from_vector<float>({4}, {1.5f, -200.0f, 300.0f, 2.4f});
  Tensor s8 = t.cast(DType::s8);
  EXPECT_EQ(s8.to_int64_vector(), (std::vector<int64_t>{2, -128, 127, 2}));
  Tensor u8 = t.cast(DType::u8);
  EXPECT_EQ(u8.to_int64_vector(), (std::vector<int64_t>{2, 0, 255, 2}));
}

TEST(Half, RoundTripsExactValuesAndRoundsToNearestEven) {
  for (float v : {0.0f, 1.0f, -2.5f, 65504.0f, 0.000061035156f, 5.9604645e-08f})
    EXPECT_EQ(half_to_float(float_to_half(v)), v) << v;
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(1.0f + 1.0f / 2048), 0x3c00);      // tie goes to even
  EXPECT_EQ(float_to_half(1.0f + 3.0f / 2048), 0x3c02);      // tie goes to even (up)
  EXPECT_EQ(float_to_half(70000.0f), 0x7c00);                // overflow to inf
  EXPECT_EQ(bf16_to_float(float_to_bf16(1.0f)), 1.0f);
  EXPECT_EQ(float_to_bf16(1.0f + 1.0f / 256), 0x3f80);       // tie goes to even
}

}  // namespace
}  // namespace stride
