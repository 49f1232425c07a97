// QDQ graphs (QuantizeLinear / DequantizeLinear around the quantized ops, as ONNX Runtime and
// `stride quantize` write them) on onednn against ref, which runs them by the ONNX definitions in
// f32. The int8 kernels accumulate exactly in s32 and round once, ref rounds the f32 sum: the two
// may differ by one quantization step of the output, rarely. Each test also checks that the int8
// path was taken (the activations' DequantizeLinear computed nowhere, the requantization fused).
#include <cmath>

#include "onednn/onednn_test_support.h"
#include "qdq_maker.h"
#include "stride/core/half.h"

namespace stride::testing {
namespace {

// Runs `graph` on onednn and ref; every output within `steps` quantization steps of `scale`.
std::unique_ptr<OnednnPlan> expect_within_steps(const Graph& graph, const std::map<std::string, Shape>& shapes,
                                                float scale, double steps = 1.0) {
  auto plan = OnednnBackend().compile_plan(graph, {.threads = 0, .input_shapes = shapes});
  const TensorMap inputs = signed_random_inputs(graph, shapes);
  const TensorMap got = plan->run(inputs);
  const TensorMap want = RefBackend().compile(graph, {})->run(inputs);
  for (const auto& [name, expected] : want) {
    EXPECT_LE(max_abs_difference(got.at(name), expected), scale * steps * 1.0001) << name;
  }
  for (const auto& step : plan->steps()) EXPECT_FALSE(is_reference_kernel(step)) << step.primitive;
  return plan;
}

// True when some step of `plan` computes `node`.
bool computed(const OnednnPlan& plan, const std::string& node) {
  for (const auto& s : plan.steps())
    for (const auto& n : s.nodes)
      if (n == node) return true;
  return false;
}

TEST(OnednnInt8, QuantizeAndDequantizeRoundHalfToEvenAndSaturate) {
  GraphMaker m;
  m.input("x", {1, 8});
  m.output(fake_quantize(m, "x", 0.5f, DType::u8));
  const Graph& g = m.graph();
  auto plan = OnednnBackend().compile_plan(g, {});
  // x / 0.5: 0.5 → 0 (half to even), 1.5 → 2, 2.5 → 2, -3 → 0 (saturated), 400 → 255 (saturated).
  const Tensor x = Tensor::from_vector<float>({1, 8}, {0.25f, 0.75f, 1.25f, -1.5f, 200.0f, 3.0f, 0.1f, 127.4f});
  const Tensor y = plan->run({{"x", x}}).at("x_dq");
  const std::vector<float> want{0.0f, 1.0f, 1.0f, 0.0f, 127.5f, 3.0f, 0.0f, 127.5f};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(y.values<float>()[i], want[i]) << i;
}

TEST(OnednnInt8, ConvReluRunsInInt8WithPerChannelScalesAndRequantizes) {
  for (DType input_type : {DType::u8, DType::s8}) {
    SCOPED_TRACE(dtype_name(input_type));
    auto plan = expect_within_steps(qdq_conv_relu(input_type), {{"x", {2, 8, 12, 12}}}, 0.02f);
    EXPECT_FALSE(computed(*plan, "x_dq"));
    EXPECT_EQ(step_computing(*plan, "conv").nodes, (std::vector<std::string>{"conv", "relu", "relu_q"}));
  }
}

TEST(OnednnInt8, LeakyReluConvWritesS8AndAnF32ResultWithoutRequantization) {
  GraphMaker m;
  m.input("x", {-1, 4, 10, 10});
  const std::string x = fake_quantize(m, "x", 1.0f / 127, DType::s8);
  m.node("Conv", "c1", {x, quantized_weight(m, "w1", {8, 4, 3, 3}, 0, 3)});
  m.node("LeakyRelu", "lr", {"c1"}, attributes({{"alpha", 0.1f}}));
  const std::string h = fake_quantize(m, "lr", 0.03f, DType::s8);
  m.node("Conv", "c2", {h, quantized_weight(m, "w2", {4, 8, 1, 1}, 0, 4)});
  m.output("c2");
  // c2 writes f32: its error is that of its s8 input, a step of 0.03 times the weights' row sums.
  auto plan = expect_within_steps(m.graph(), {{"x", {1, 4, 10, 10}}}, 0.03f, 2.0);
  EXPECT_FALSE(computed(*plan, "lr_dq"));
  EXPECT_EQ(step_computing(*plan, "c1").nodes, (std::vector<std::string>{"c1", "lr", "lr_q"}));
}

TEST(OnednnInt8, ASumAfterAnInt8ConvIsAddedInF32) {
  // GaitSet's multilayer global pipeline: conv → LeakyRelu → Add of another f32 value.
  GraphMaker m;
  m.input("x", {-1, 4, 8, 8});
  m.input("other", {-1, 8, 8, 8});
  const std::string x = fake_quantize(m, "x", 1.0f / 127, DType::s8);
  m.node("Conv", "conv", {x, quantized_weight(m, "w", {8, 4, 3, 3}, 0, 6)}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("LeakyRelu", "lr", {"conv"}, attributes({{"alpha", 0.2f}}));
  m.node("Add", "sum", {"lr", "other"});
  m.output("sum");
  // f32 out: only the f32 rounding of the sums differs.
  auto plan = expect_within_steps(m.graph(), {{"x", {2, 4, 8, 8}}, {"other", {2, 8, 8, 8}}}, 1e-4f);
  EXPECT_EQ(step_computing(*plan, "conv").nodes, (std::vector<std::string>{"conv", "lr", "sum"}));
  if (kOnednnHasJitKernels) EXPECT_FALSE(computed(*plan, "x_dq"));  // arm64: in f32 (onednn/fusion.cpp)
}

TEST(OnednnInt8, MaxPoolFlattenAndGemmStayInInt8) {
  GraphMaker m;
  m.input("x", {-1, 4, 8, 8});
  const std::string x = fake_quantize(m, "x", 1.0f / 255, DType::u8);
  m.node("MaxPool", "pool", {x}, attributes({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}}));
  const std::string p = fake_quantize(m, "pool", 1.0f / 255, DType::u8);
  m.node("Flatten", "flat", {p});
  const std::string f = fake_quantize(m, "flat", 1.0f / 255, DType::u8);
  const std::string w = quantized_weight(m, "wf", {5, 64}, 0, 9);
  m.node("Gemm", "fc", {f, w}, attributes({{"transB", int64_t{1}}}));
  m.output(fake_quantize(m, "fc", 0.05f, DType::s8));
  auto plan = expect_within_steps(m.graph(), {{"x", {3, 4, 8, 8}}}, 0.05f);
  for (const char* dq : {"x_dq", "pool_dq", "flat_dq"}) EXPECT_FALSE(computed(*plan, dq)) << dq;
  EXPECT_EQ(step_computing(*plan, "pool").nodes, (std::vector<std::string>{"pool", "pool_q"}));
  EXPECT_EQ(step_computing(*plan, "fc").nodes, (std::vector<std::string>{"fc", "fc_q"}));
}

TEST(OnednnInt8, SetPoolingByReduceMaxStaysInInt8) {
  GraphMaker m;
  m.input("x", {2, 6, 4, 5});
  const std::string x = fake_quantize(m, "x", 1.0f / 127, DType::s8);
  m.node("ReduceMax", "setmax", {x, m.constant("axes", Tensor::from_vector<int64_t>({1}, {1}))},
         attributes({{"keepdims", int64_t{0}}}));
  m.output(fake_quantize(m, "setmax", 1.0f / 127, DType::s8));
  // The maximum of int8 values is exact: no difference at all.
  auto plan = expect_within_steps(m.graph(), {}, 1.0f / 127, 0.0);
  EXPECT_EQ(step_computing(*plan, "setmax").nodes, (std::vector<std::string>{"setmax", "setmax_q"}));
  EXPECT_FALSE(computed(*plan, "x_dq"));
}

TEST(OnednnInt8, ConcatOfOneScaleAndBatchedMatMulRunInInt8) {
  GraphMaker m;
  m.input("a", {2, 3, 16});
  m.input("b", {2, 5, 16});
  const std::string qa = fake_quantize(m, "a", 1.0f / 127, DType::s8);
  const std::string qb = fake_quantize(m, "b", 1.0f / 127, DType::s8);
  m.node("Concat", "cat", {qa, qb}, attributes({{"axis", int64_t{1}}}));
  const std::string c = fake_quantize(m, "cat", 1.0f / 127, DType::s8);
  m.node("MatMul", "mm", {c, quantized_weight(m, "w", {2, 16, 6}, 2, 5)});
  m.output(fake_quantize(m, "mm", 0.04f, DType::s8));
  auto plan = expect_within_steps(m.graph(), {}, 0.04f);
  EXPECT_EQ(step_computing(*plan, "cat").nodes, (std::vector<std::string>{"cat", "cat_q"}));
  EXPECT_EQ(step_computing(*plan, "mm").nodes, (std::vector<std::string>{"mm", "mm_q"}));
  EXPECT_FALSE(computed(*plan, "cat_dq"));
}

TEST(OnednnInt8, AsymmetricQuantizationRunsAsScaledConversions) {
  // A zero point other than 0 is outside the int8 kernels' contract: the graph still runs, in f32.
  GraphMaker m;
  m.input("x", {1, 4, 6, 6});
  const std::string zp = m.constant("zp", Tensor::from_vector<uint8_t>({}, {128}));
  const std::string s = m.constant("s", Tensor::scalar(1.0f / 128));
  m.node("QuantizeLinear", "xq", {"x", s, zp});
  m.node("DequantizeLinear", "xdq", {"xq", s, zp});
  m.node("Conv", "conv", {"xdq", quantized_weight(m, "w", {4, 4, 3, 3}, 0, 2)});
  m.output("conv");
  auto plan = expect_matches_ref(m.graph(), {}, 1e-4);
  EXPECT_TRUE(computed(*plan, "xdq"));
}

// Weights stored as bf16 (`stride quantize --precision bf16`: a Cast of a bf16 constant) make the
// convolution compute in bf16 where oneDNN has a fast bf16 kernel, else in f32: either way within
// bf16's precision of ref, and never on a reference kernel.
TEST(OnednnHalfPrecision, Bf16WeightsComputeInBf16WhereTheCpuCan) {
  GraphMaker m;
  m.input("x", {-1, 16, 10, 10});
  Tensor w = random_tensor({32, 16, 3, 3}, 3);
  Tensor stored(DType::bf16, w.shape());
  auto* bits = reinterpret_cast<uint16_t*>(stored.raw());
  for (int64_t i = 0; i < w.numel(); ++i) bits[i] = float_to_bf16(w.values<float>()[i]);
  m.constant("w_bf16", stored);
  m.node("Cast", "w", {"w_bf16"}, attributes({{"to", int64_t{1}}}));
  m.node("Conv", "conv", {"x", "w"}, attributes({{"pads", Ints{1, 1, 1, 1}}}));
  m.node("Relu", "relu", {"conv"});
  m.output("relu");
  auto plan = expect_matches_ref(m.graph(), {{"x", {2, 16, 10, 10}}}, 2e-2);
  for (const auto& step : plan->steps()) EXPECT_FALSE(is_reference_kernel(step)) << step.primitive;
  EXPECT_FALSE(computed(*plan, "w"));  // the Cast of a constant is folded at compile time
}

}  // namespace
}  // namespace stride::testing
