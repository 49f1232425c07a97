// Cast against values worked out by hand: f16/bf16 weights widen exactly to f32, floats narrow
// rounding to nearest even, and floats become integers truncated toward zero and saturated.
#include <gtest/gtest.h>

#include "one_node.h"
#include "stride/core/half.h"

namespace stride {
namespace {

using testing::attrs;
using testing::run_one_node_single;

TEST(Cast, F16WeightsWidenExactlyToF32) {
  // 0.1 is not exact in f16: widening gives f16's nearest value, 0.0999755859375.
  const Tensor w = Tensor::from_vector<float>({4}, {1.0f, -2.5f, 0.1f, 65504.0f}).cast(DType::f16);
  const Tensor y = run_one_node_single("Cast", {{"$w", w}}, attrs({{"to", int64_t{1}}}));
  ASSERT_EQ(y.dtype(), DType::f32);
  EXPECT_EQ(y.values<float>()[0], 1.0f);
  EXPECT_EQ(y.values<float>()[1], -2.5f);
  EXPECT_EQ(y.values<float>()[2], 0.0999755859375f);
  EXPECT_EQ(y.values<float>()[3], 65504.0f);
}

TEST(Cast, F32ToBf16RoundsToNearestEven) {
  // 1 + 2^-8 lies halfway between bf16's 1 and 1 + 2^-7: ties to even gives 1; 1 + 3·2^-8 gives 1 + 2^-6.
  const Tensor x = Tensor::from_vector<float>({2}, {1.0f + 1.0f / 256, 1.0f + 3.0f / 256});
  const Tensor y = run_one_node_single("Cast", {{"x", x}}, attrs({{"to", int64_t{16}}}));
  ASSERT_EQ(y.dtype(), DType::bf16);
  EXPECT_EQ(bf16_to_float(reinterpret_cast<const uint16_t*>(y.raw())[0]), 1.0f);
  EXPECT_EQ(bf16_to_float(reinterpret_cast<const uint16_t*>(y.raw())[1]), 1.0f + 1.0f / 64);
}

TEST(Cast, FloatToIntegerTruncatesAndSaturates) {
  const Tensor x = Tensor::from_vector<float>({5}, {2.7f, -2.7f, 300.0f, -300.0f, 0.5f});
  const Tensor y = run_one_node_single("Cast", {{"x", x}}, attrs({{"to", int64_t{3}}}));
  ASSERT_EQ(y.dtype(), DType::s8);
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{2, -2, 127, -128, 0}));
}

TEST(Cast, UnknownTargetTypeIsRefusedNamingTheNode) {
  const Tensor x = Tensor::from_vector<float>({1}, {1.0f});
  EXPECT_THROW(
      {
        try {
          run_one_node_single("Cast", {{"x", x}}, attrs({{"to", int64_t{8}}}));  // STRING
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("Cast to element type 8"), std::string::npos) << e.what();
          throw;
        }
      },
      Error);
}

}  // namespace
}  // namespace stride
