// QuantizeLinear and DequantizeLinear against values worked out by hand from the ONNX definitions:
// y = saturate(round_half_to_even(x / scale) + zero_point) and x' = (y - zero_point) * scale.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "one_node.h"

namespace stride {
namespace {

using ::testing::AllOf;
using testing::attrs;
using testing::float_values;
using ::testing::HasSubstr;
using testing::run_one_node;
using testing::run_one_node_single;
using ::testing::ThrowsMessage;

Tensor f32(Shape shape, std::vector<float> values) { return Tensor::from_vector<float>(std::move(shape), values); }
template <typename T>
Tensor ints(Shape shape, std::vector<T> values) {
  return Tensor::from_vector<T>(std::move(shape), values);
}

TEST(QuantizeLinear, WithoutZeroPointGivesU8RoundingHalfToEven) {
  const Tensor x = f32({8}, {0.0f, 1.0f, 0.5f, 1.5f, 2.5f, 3.4f, -1.0f, 300.0f});
  const Tensor y = run_one_node_single("QuantizeLinear", {{"x", x}, {"$scale", Tensor::scalar(1.0f)}});
  EXPECT_EQ(y.dtype(), DType::u8);
  EXPECT_EQ(y.shape(), (Shape{8}));
  // 0.5 → 0, 1.5 → 2, 2.5 → 2; -1 and 300 saturate to 0 and 255.
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{0, 1, 0, 2, 2, 3, 0, 255}));
}

TEST(QuantizeLinear, S8WithZeroPointRoundsHalfToEvenAndSaturates) {
  // x / 0.5 = 0.5, 1.5, -0.5, -1.5, 200, -200 → 0, 2, -0, -2, 200, -200; + 1 → 1, 3, 1, -1, 127, -128.
  const Tensor x = f32({6}, {0.25f, 0.75f, -0.25f, -0.75f, 100.0f, -100.0f});
  const Tensor y = run_one_node_single("QuantizeLinear",
                                       {{"x", x}, {"$scale", Tensor::scalar(0.5f)}, {"$zp", ints<int8_t>({}, {1})}});
  EXPECT_EQ(y.dtype(), DType::s8);
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{1, 3, 1, -1, 127, -128}));
}

TEST(QuantizeLinear, U8WithZeroPointSaturatesBothEnds) {
  // round(x / 2) + 128: -300 → -22 → 0; -3 → -1.5 → -2 → 126; 3 → 1.5 → 2 → 130; 300 → 278 → 255.
  const Tensor x = f32({4}, {-300.0f, -3.0f, 3.0f, 300.0f});
  const Tensor y = run_one_node_single("QuantizeLinear",
                                       {{"x", x}, {"$scale", Tensor::scalar(2.0f)}, {"$zp", ints<uint8_t>({}, {128})}});
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{0, 126, 130, 255}));
}

TEST(QuantizeLinear, PerAxisOnTheDefaultAxisOne) {
  // Channel c of [[4, 4, 4], [-2, 3, 10]] uses scale (1, 2, 4)[c] and zero point (0, 1, -1)[c]:
  // x / scale = [[4, 2, 1], [-2, 1.5, 2.5]] → [[4, 2, 1], [-2, 2, 2]] → [[4, 3, 0], [-2, 3, 1]].
  const Tensor x = f32({2, 3}, {4, 4, 4, -2, 3, 10});
  const Tensor y = run_one_node_single(
      "QuantizeLinear", {{"x", x}, {"$scale", f32({3}, {1, 2, 4})}, {"$zp", ints<int8_t>({3}, {0, 1, -1})}});
  EXPECT_EQ(y.shape(), (Shape{2, 3}));
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{4, 3, 0, -2, 3, 1}));
}

TEST(QuantizeLinear, PerAxisOnAnInnerAxisOfRankThree) {
  // x [1, 2, 2] per axis 1 (= -2): channel 0 is {1, 2} with scale 1, channel 1 is {1, 2} with scale 0.5.
  const Tensor x = f32({1, 2, 2}, {1, 2, 1, 2});
  const Tensor y = run_one_node_single(
      "QuantizeLinear", {{"x", x}, {"$scale", f32({2}, {1.0f, 0.5f})}, {"$zp", ints<uint8_t>({2}, {10, 20})}},
      attrs({{"axis", int64_t{-2}}}));
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{11, 12, 22, 24}));
}

TEST(QuantizeLinear, RefusesMalformedParameters) {
  const Tensor x = f32({2, 3}, {0, 0, 0, 0, 0, 0});
  auto fails_with = [](const char* text, const testing::NamedTensors& inputs, Attributes a = {}) {
    EXPECT_THAT([&] { run_one_node("QuantizeLinear", inputs, a); },
                ThrowsMessage<Error>(AllOf(HasSubstr("node 'quantizelinear' (QuantizeLinear)"), HasSubstr(text))));
  };
  fails_with("per-axis scale", {{"x", x}, {"$scale", f32({2}, {1, 1})}});
  fails_with("per-axis scale", {{"x", x}, {"$scale", f32({2}, {1, 1})}}, attrs({{"axis", int64_t{1}}}));
  fails_with("same shape", {{"x", x}, {"$scale", f32({3}, {1, 1, 1})}, {"$zp", ints<uint8_t>({}, {0})}});
  fails_with("u8 or s8", {{"x", x}, {"$scale", Tensor::scalar(1.0f)}, {"$zp", ints<int32_t>({}, {0})}});
  fails_with("f32", {{"x", ints<int8_t>({1}, {0})}, {"$scale", Tensor::scalar(1.0f)}});
  fails_with("f32", {{"x", x}, {"$scale", ints<int8_t>({}, {1})}});
}

TEST(DequantizeLinear, S8WithZeroPoint) {
  // (x + 1) * 0.5.
  const Tensor x = ints<int8_t>({4}, {-128, -1, 0, 127});
  const Tensor y = run_one_node_single("DequantizeLinear",
                                       {{"x", x}, {"$scale", Tensor::scalar(0.5f)}, {"$zp", ints<int8_t>({}, {-1})}});
  EXPECT_EQ(y.dtype(), DType::f32);
  EXPECT_EQ(float_values(y), (std::vector<float>{-63.5f, 0.0f, 0.5f, 64.0f}));
}

TEST(DequantizeLinear, U8PerAxis) {
  // Rows use (scale, zero point) = (1, 10) and (0.5, 20).
  const Tensor x = ints<uint8_t>({2, 2}, {0, 255, 0, 255});
  const Tensor y = run_one_node_single(
      "DequantizeLinear", {{"x", x}, {"$scale", f32({2}, {1.0f, 0.5f})}, {"$zp", ints<uint8_t>({2}, {10, 20})}},
      attrs({{"axis", int64_t{0}}}));
  EXPECT_EQ(float_values(y), (std::vector<float>{-10.0f, 245.0f, -10.0f, 117.5f}));
}

TEST(DequantizeLinear, S32WithoutZeroPoint) {
  const Tensor x = ints<int32_t>({3}, {-1000, 7, 2000000});
  EXPECT_EQ(float_values(run_one_node_single("DequantizeLinear", {{"x", x}, {"$scale", Tensor::scalar(0.25f)}})),
            (std::vector<float>{-250.0f, 1.75f, 500000.0f}));
}

TEST(DequantizeLinear, RefusesMismatchedTypes) {
  EXPECT_THAT(
      [&] {
        run_one_node(
            "DequantizeLinear",
            {{"x", ints<int8_t>({1}, {0})}, {"$scale", Tensor::scalar(1.0f)}, {"$zp", ints<uint8_t>({}, {0})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'dequantizelinear'"), HasSubstr("u8"), HasSubstr("s8"))));
  EXPECT_THAT(
      [&] {
        run_one_node("DequantizeLinear", {{"x", f32({1}, {0})}, {"$scale", Tensor::scalar(1.0f)}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'dequantizelinear'"), HasSubstr("s8, u8 or s32"))));
}

// x → QuantizeLinear → DequantizeLinear returns x rounded to the nearest multiple of the scale
// (ties to even), within the representable range.
TEST(QuantizeDequantize, RoundTripsToTheQuantizationGrid) {
  Graph g;
  g.inputs = {{"x", DType::f32, {6}}};
  g.outputs = {{"x_hat", DType::f32, {6}}};
  g.initializers = {{"scale", Tensor::scalar(0.25f)}, {"zp", ints<int8_t>({}, {-10})}};
  g.nodes = {{"q", "QuantizeLinear", {"x", "scale", "zp"}, {"x_q"}, {}},
             {"dq", "DequantizeLinear", {"x_q", "scale", "zp"}, {"x_hat"}, {}}};
  // On the grid: exact. 0.1 → 0.4 steps → 0 → 0. 0.125 → 0.5 → 0 (even). 0.375 → 1.5 → 2 → 0.5.
  // Range: (127 + 10) × 0.25 = 34.25 and (-128 + 10) × 0.25 = -29.5.
  const Tensor x = f32({6}, {1.75f, -2.5f, 0.1f, 0.125f, 0.375f, 100.0f});
  const TensorMap out = RefBackend().compile(g, {})->run({{"x", x}});
  EXPECT_EQ(float_values(out.at("x_hat")), (std::vector<float>{1.75f, -2.5f, 0.0f, 0.0f, 0.5f, 34.25f}));
  const Tensor below = f32({6}, {-100.0f, 0, 0, 0, 0, 0});
  EXPECT_EQ(float_values(RefBackend().compile(g, {})->run({{"x", below}}).at("x_hat"))[0], -29.5f);
}

// DynamicQuantizeLinear finds u8 parameters in the data: the range widened to hold 0, scale =
// range / 255, zero point = round(-min / scale). The first case is the ONNX specification's example.
TEST(DynamicQuantizeLinear, ScaleAndZeroPointFromTheDataRange) {
  const TensorMap out = run_one_node("DynamicQuantizeLinear", {{"x", f32({6}, {0, 2, -3, -2.5f, 1.34f, 0.5f})}}, {},
                                     std::vector<std::string>{"y", "scale", "zp"});
  EXPECT_EQ(out.at("y").dtype(), DType::u8);
  EXPECT_EQ(out.at("y").to_int64_vector(), (std::vector<int64_t>{153, 255, 0, 26, 221, 179}));
  EXPECT_FLOAT_EQ(out.at("scale").data<float>()[0], 5.0f / 255.0f);
  EXPECT_EQ(out.at("scale").shape(), Shape{});
  EXPECT_EQ(out.at("zp").to_int64_vector(), (std::vector<int64_t>{153}));
}

TEST(DynamicQuantizeLinear, PositiveDataStartsAtZeroAndAllZerosTakeScaleOne) {
  // min is widened to 0: scale 510 / 255 = 2, zero point 0; 3 / 2 = 1.5 → 2 (half to even).
  TensorMap out = run_one_node("DynamicQuantizeLinear", {{"x", f32({4}, {4, 3, 510, 100})}}, {},
                               std::vector<std::string>{"y", "scale", "zp"});
  EXPECT_EQ(out.at("y").to_int64_vector(), (std::vector<int64_t>{2, 2, 255, 50}));
  EXPECT_FLOAT_EQ(out.at("scale").data<float>()[0], 2.0f);
  EXPECT_EQ(out.at("zp").to_int64_vector(), (std::vector<int64_t>{0}));
  out = run_one_node("DynamicQuantizeLinear", {{"x", f32({3}, {0, 0, 0})}}, {},
                     std::vector<std::string>{"y", "scale", "zp"});
  EXPECT_EQ(out.at("y").to_int64_vector(), (std::vector<int64_t>{0, 0, 0}));
  EXPECT_FLOAT_EQ(out.at("scale").data<float>()[0], 1.0f);
}

// MatMulInteger: Σ (a - a_zp)(b - b_zp) in int32. The first case is the specification's example.
TEST(MatMulInteger, SubtractsZeroPointsAndSumsInInt32) {
  const Tensor y =
      run_one_node_single("MatMulInteger", {{"a", ints<uint8_t>({4, 3}, {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0})},
                                            {"b", ints<uint8_t>({3, 2}, {1, 4, 2, 5, 3, 6})},
                                            {"$a_zp", ints<uint8_t>({}, {12})},
                                            {"$b_zp", ints<uint8_t>({}, {0})}});
  EXPECT_EQ(y.dtype(), DType::s32);
  EXPECT_EQ(y.shape(), (Shape{4, 2}));
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{-38, -83, -44, -98, -50, -113, -56, -128}));
}

TEST(MatMulInteger, SignedWeightsWithOneZeroPointPerColumn) {
  // Column 0: 1·(1-1) + 2·(2-1) = 2. Column 1: 1·(-1+1) + 2·(3+1) = 8. Batched A broadcasts over B.
  const Tensor y = run_one_node_single("MatMulInteger", {{"a", ints<uint8_t>({2, 1, 2}, {1, 2, 0, 255})},
                                                         {"$b", ints<int8_t>({2, 2}, {1, -1, 2, 3})},
                                                         {"", Tensor()},
                                                         {"$b_zp", ints<int8_t>({2}, {1, -1})}});
  EXPECT_EQ(y.shape(), (Shape{2, 1, 2}));
  // Second batch: 0·0 + 255·1 = 255; 0·0 + 255·4 = 1020.
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{2, 8, 255, 1020}));
}

TEST(MatMulInteger, RefusesFloatDataAndMismatchedZeroPoints) {
  EXPECT_THAT(
      [&] {
        run_one_node("MatMulInteger", {{"a", f32({1, 1}, {1})}, {"b", f32({1, 1}, {1})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("matmulinteger"), HasSubstr("u8 or s8"))));
  EXPECT_THAT(
      [&] {
        run_one_node("MatMulInteger", {{"a", ints<uint8_t>({1, 2}, {1, 2})},
                                       {"b", ints<int8_t>({2, 3}, {1, 2, 3, 4, 5, 6})},
                                       {"", Tensor()},
                                       {"$b_zp", ints<int8_t>({2}, {0, 0})}});
      },
      ThrowsMessage<Error>(HasSubstr("one per column (3)")));
}

}  // namespace
}  // namespace stride
