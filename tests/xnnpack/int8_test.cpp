// QDQ graphs on xnnpack against ref, which runs them by the ONNX definitions in f32. XNNPACK's int8
// operators sum exactly in s32 and requantize once, ref rounds the f32 sum: the two may differ by
// one quantization step of the output, rarely. Each test also checks which XNNPACK operator
// computed the quantized op — an int8 one, with the Relu and the requantization fused — and that
// the DequantizeLinear of its int8 input was computed nowhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "qdq_maker.h"
#include "stride/engine/inputs.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/engine/xnnpack/xnnpack_backend.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"
#include "stride/zoo/zoo.h"

namespace stride::testing {
namespace {

using xnnpack::StepInfo;
using xnnpack::XnnpackPlan;

// Runs `graph` on xnnpack and ref on `inputs`; every output within one step of `scale`.
std::unique_ptr<XnnpackPlan> expect_within_a_step(const Graph& graph, const TensorMap& inputs, float scale) {
  std::map<std::string, Shape> shapes;
  for (const auto& [name, t] : inputs) shapes[name] = t.shape();
  auto plan = XnnpackBackend().compile_plan(graph, {.threads = 2, .input_shapes = shapes});
  const TensorMap got = plan->run(inputs);
  const TensorMap want = RefBackend().compile(graph, {})->run(inputs);
  EXPECT_EQ(got.size(), want.size());
  for (const auto& [name, expected] : want)
    EXPECT_LE(max_abs_difference(got.at(name), expected), scale * 1.0001) << name;
  return plan;
}

std::unique_ptr<XnnpackPlan> expect_within_a_step(const Graph& graph, const std::map<std::string, Shape>& shapes,
                                                  float scale) {
  return expect_within_a_step(graph, signed_random_inputs(graph, shapes), scale);
}

// The step whose nodes start with `node` (a fused step names its nodes joined by " + ").
StepInfo step_computing(const XnnpackPlan& plan, const std::string& node) {
  for (const auto& s : plan.steps())
    if (s.engine != "layout" && (s.nodes == node || s.nodes.rfind(node + " + ", 0) == 0)) return s;
  return {"none", "none", node};
}

TEST(XnnpackInt8, QuantizeAndDequantizeRoundHalfToEvenSaturateAndKeepTheZeroPoint) {
  for (const auto& [dtype, zero_point] : {std::pair{DType::u8, 0}, {DType::u8, 100}, {DType::s8, -5}}) {
    SCOPED_TRACE(std::string(dtype_name(dtype)) + " " + std::to_string(zero_point));
    GraphMaker m;
    m.input("x", {1, 2, 2, 4});
    m.output(fake_quantize(m, "x", 0.5f, dtype, zero_point));
    // x / 0.5: 0.25 → 0 (half to even), 0.75 → 2, 1.25 → 2, and values far out of range saturate.
    const Tensor x =
        Tensor::from_vector<float>({1, 2, 2, 4}, {0.25f, 0.75f, 1.25f, -1.5f, 200.0f, 3.0f, 0.1f, 127.4f, -300.0f,
                                                  -0.25f, -0.75f, 2.5f, 1.0f, -64.0f, 60.0f, -1.25f});
    const auto plan = expect_within_a_step(m.graph(), {{"x", x}}, 0.0f);
    EXPECT_EQ(step_computing(*plan, "x_q").what, "convert_nc_f32_qs8");
    EXPECT_EQ(step_computing(*plan, "x_dq").what, "convert_nc_qs8_f32");
  }
}

TEST(XnnpackInt8, ConvReluRunsAsOneQc8ConvolutionWithPerChannelScales) {
  for (DType input_type : {DType::u8, DType::s8}) {
    SCOPED_TRACE(dtype_name(input_type));
    const auto plan = expect_within_a_step(qdq_conv_relu(input_type), {{"x", {2, 8, 12, 12}}}, 0.02f);
    const StepInfo conv = step_computing(*plan, "conv");
    EXPECT_EQ(conv.what, "convolution2d_nhwc_qc8");
    EXPECT_EQ(conv.nodes, "conv + relu + relu_q");
    EXPECT_EQ(step_computing(*plan, "x_dq").engine, "none");
  }
}

TEST(XnnpackInt8, ConvWithZeroPointsGroupsStridesAndAPerTensorWeightScale) {
  GraphMaker m;
  m.input("x", {1, 6, 11, 9});
  const std::string x = fake_quantize(m, "x", 0.01f, DType::u8, 120);
  const std::string w = quantized_weight(m, "w", {4, 3, 3, 3}, 0, 5);
  // One scale for the whole kernel: the largest of the per-channel ones.
  const auto scales = m.graph().initializers.at("w_scale").values<float>();
  const float largest = *std::max_element(scales.begin(), scales.end());
  m.constant("w_scale", Tensor::scalar(largest));
  m.constant("w_zp", Tensor(DType::s8, {}));
  m.node("Conv", "conv", {x, w},
         attributes({{"group", int64_t{2}}, {"pads", Ints{1, 0, 2, 1}}, {"strides", Ints{2, 1}}}));
  m.output(fake_quantize(m, "conv", 0.015f, DType::s8, 3));
  const auto plan = expect_within_a_step(m.graph(), {{"x", {1, 6, 11, 9}}}, 0.015f);
  EXPECT_EQ(step_computing(*plan, "conv").what, "convolution2d_nhwc_qc8");
}

TEST(XnnpackInt8, GemmRunsAsA1x1Qc8ConvolutionWithOrWithoutTransposedWeights) {
  for (const int64_t trans_b : {0, 1}) {
    SCOPED_TRACE(trans_b);
    GraphMaker m;
    m.input("a", {3, 20});
    const std::string a = fake_quantize(m, "a", 1.0f / 127, DType::s8);
    const Shape w_shape = trans_b ? Shape{7, 20} : Shape{20, 7};
    const std::string w = quantized_weight(m, "w", w_shape, trans_b ? 0 : 1, 9);
    m.node("Gemm", "gemm", {a, w, m.weight("c", {7})}, attributes({{"transB", trans_b}, {"beta", 0.5f}}));
    m.output(fake_quantize(m, "gemm", 0.03f, DType::s8));
    const auto plan = expect_within_a_step(m.graph(), {{"a", {3, 20}}}, 0.03f);
    EXPECT_EQ(step_computing(*plan, "gemm").what, "convolution2d_nhwc_qc8");
    EXPECT_EQ(step_computing(*plan, "a_dq").engine, "none");
  }
}

TEST(XnnpackInt8, MaxPoolOfOneQuantizationIsTheMaxOfTheInt8Values) {
  GraphMaker m;
  m.input("x", {2, 5, 9, 9});
  const std::string x = fake_quantize(m, "x", 0.01f, DType::u8, 30);
  m.node("MaxPool", "pool", {x},
         attributes({{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"ceil_mode", int64_t{1}}}));
  m.output(fake_quantize(m, "pool", 0.01f, DType::u8, 30));
  // The same quantization in and out: no rounding in between, the results are equal.
  const auto plan = expect_within_a_step(m.graph(), {{"x", {2, 5, 9, 9}}}, 0.0f);
  EXPECT_EQ(step_computing(*plan, "pool").what, "max_pooling2d_nhwc_s8");
}

TEST(XnnpackInt8, AddOfTwoQuantizedTensorsRequantizes) {
  GraphMaker m;
  m.input("x", {2, 4, 5, 6});
  m.input("y", {2, 4, 5, 6});
  const std::string x = fake_quantize(m, "x", 0.01f, DType::s8);
  const std::string y = fake_quantize(m, "y", 0.02f, DType::u8, 64);
  m.node("Add", "sum", {x, y});
  m.node("Relu", "relu", {"sum"});
  m.output(fake_quantize(m, "relu", 0.015f, DType::u8));
  const auto plan = expect_within_a_step(m.graph(), {{"x", {2, 4, 5, 6}}, {"y", {2, 4, 5, 6}}}, 0.015f);
  EXPECT_EQ(step_computing(*plan, "sum").what, "add_nd_qs8");
  EXPECT_EQ(step_computing(*plan, "sum").nodes, "sum + relu + relu_q");
}

TEST(XnnpackInt8, DataMovementOfOneQuantizationMovesTheInt8ValuesThemselves) {
  GraphMaker m;
  m.input("x", {2, 3, 4, 5});
  m.input("y", {2, 3, 4, 5});
  const std::string x = fake_quantize(m, "x", 0.01f, DType::u8, 7);
  const std::string y = fake_quantize(m, "y", 0.01f, DType::u8, 7);
  m.node("Concat", "joined", {x, y}, attributes({{"axis", int64_t{1}}}));
  const std::string joined = fake_quantize(m, "joined", 0.01f, DType::u8, 7);
  m.node("Transpose", "moved", {joined}, attributes({{"perm", Ints{0, 2, 3, 1}}}));
  // The int8 result itself is an output too: read back from XNNPACK's s8 form as u8.
  const std::string moved = fake_quantize(m, "moved", 0.01f, DType::u8, 7);
  m.output("moved_q").output(moved);
  const auto plan = expect_within_a_step(m.graph(), {{"x", {2, 3, 4, 5}}, {"y", {2, 3, 4, 5}}}, 0.0f);
  EXPECT_EQ(step_computing(*plan, "joined").nodes, "joined + joined_q");
  EXPECT_EQ(step_computing(*plan, "moved").nodes, "moved + moved_q");
  EXPECT_EQ(step_computing(*plan, "joined_dq").engine, "none");
}

TEST(XnnpackInt8, WhatTheInt8OperatorsCannotTakeRunsInF32OnTheDequantizedValues) {
  GraphMaker m;
  m.input("x", {1, 4, 8, 8});
  const std::string x = fake_quantize(m, "x", 1.0f / 127, DType::s8);
  // Read by two nodes: no requantization to fuse.
  m.node("Conv", "conv", {x, quantized_weight(m, "w", {6, 4, 3, 3}, 0, 3)});
  m.node("Relu", "relu", {"conv"});
  m.output("conv");
  const std::string r = fake_quantize(m, "relu", 0.05f, DType::u8);
  // Another scale out than in: the max of the int8 values would be in the wrong units.
  m.node("MaxPool", "pool", {r}, attributes({{"kernel_shape", Ints{2, 2}}}));
  m.output(fake_quantize(m, "pool", 0.04f, DType::u8));
  const auto plan = expect_within_a_step(m.graph(), {{"x", {1, 4, 8, 8}}}, 0.04f);
  EXPECT_EQ(step_computing(*plan, "conv").what, "convolution2d_nhwc_f32");
  EXPECT_EQ(step_computing(*plan, "pool").what, "max_pooling2d_nhwc_f32");
}

TEST(XnnpackInt8, ARequantizationScaleXnnpackRefusesFallsBackToF32) {
  GraphMaker m;
  m.input("a", {2, 16});
  const std::string a = fake_quantize(m, "a", 1.0f / 127, DType::s8);
  m.node("Gemm", "gemm", {a, quantized_weight(m, "w", {16, 4}, 1, 4)});
  // s_in · s_w / s_out far above XNNPACK's limit of 256: the int8 operator is refused at creation.
  m.output(fake_quantize(m, "gemm", 1e-7f, DType::s8));
  const auto plan = expect_within_a_step(m.graph(), {{"a", {2, 16}}}, 1e-7f);
  EXPECT_EQ(step_computing(*plan, "gemm").what, "fully_connected_nc_f32");
}

TEST(XnnpackInt8, AConv3dStaysInF32OnTheDequantizedValues) {
  GraphMaker m;
  m.input("x", {1, 3, 5, 6, 6});
  const std::string x = fake_quantize(m, "x", 1.0f / 127, DType::s8);
  m.node("Conv", "conv", {x, quantized_weight(m, "w", {4, 3, 3, 3, 3}, 0, 2)});
  m.output(fake_quantize(m, "conv", 0.02f, DType::s8));
  const auto plan = expect_within_a_step(m.graph(), {{"x", {1, 3, 5, 6, 6}}}, 0.02f);
  EXPECT_EQ(step_computing(*plan, "conv").what, "convolution2d_nhwc_f32 x 3 taps");
}

// Zoo models quantized by Stride (calibrated on random inputs): every quantized output (one whose
// scale the quantization record holds) agrees with ref within one step of its scale, with as many
// XNNPACK int8 operators as the model has layers the int8 path takes.
struct QuantizedZooCase {
  std::string model;
  size_t int8_operators;
};

class QuantizedZooOnXnnpack : public ::testing::TestWithParam<QuantizedZooCase> {};

bool is_int8_operator(const StepInfo& s) {
  return s.what == "convolution2d_nhwc_qc8" || s.what == "max_pooling2d_nhwc_s8" || s.what == "add_nd_qs8";
}

TEST_P(QuantizedZooOnXnnpack, AgreesWithRefWithinAStepUsingInt8Operators) {
  ZooOptions options;
  options.width_mult = 0.125;
  options.classes = 4;
  const Graph g = build_model(GetParam().model, options);
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 2);
  std::vector<TensorMap> samples;
  for (uint64_t seed = 1; seed <= 3; ++seed) samples.push_back(random_inputs(g, shapes, seed));
  using namespace quant;
  const Graph q = quantize_int8(g, collect_statistics(g, activations_to_calibrate(g), RefBackend(), samples),
                                {.method = Method::percentile, .samples = 6});
  const auto record = nlohmann::json::parse(q.metadata.at(kQuantizationKey))["activations"];
  const TensorMap inputs = random_inputs(g, shapes, 42);
  auto plan = XnnpackBackend().compile_plan(q, {.threads = 2, .input_shapes = shapes});
  const TensorMap got = plan->run(inputs), want = RefBackend().compile(q, {})->run(inputs);
  size_t compared = 0;
  for (const auto& [name, expected] : want)
    if (record.contains(name)) {
      const float step = record[name]["scale"];
      EXPECT_LE(max_abs_difference(got.at(name), expected), step * 1.0001) << name;
      ++compared;
    }
  EXPECT_GT(compared, 0u);
  const auto& steps = plan->steps();
  EXPECT_EQ(static_cast<size_t>(std::count_if(steps.begin(), steps.end(), is_int8_operator)),
            GetParam().int8_operators);
}

// cnn2d: 4 convolutions, 4 max poolings and 2 of its 3 Gemms (the classifier writes f32).
// cnn3d: none — its convolutions and poolings are 3-D; they run in f32 on the dequantized values.
// cnn3dto2d: its 13 2-D convolutions (spatial and temporal; its classifier Gemm writes f32).
// gaitset: max poolings and an Add — its convolutions end in LeakyRelu, which the QDQ graph
// quantizes after, so they run in f32.
INSTANTIATE_TEST_SUITE_P(Zoo, QuantizedZooOnXnnpack,
                         ::testing::Values(QuantizedZooCase{"cnn2d", 10}, QuantizedZooCase{"cnn3d", 0},
                                           QuantizedZooCase{"cnn3dto2d", 13}, QuantizedZooCase{"gaitset", 4}),
                         [](const auto& info) { return info.param.model; });

}  // namespace
}  // namespace stride::testing
