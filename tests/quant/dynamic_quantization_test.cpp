// Dynamic-range quantization: the graph it writes (standard ONNX ops, s8 weights, one run-time
// quantization per distinct input), its outputs on `ref` against the float model, the onednn engine
// against `ref` on the same quantized graph, and what it refuses.
#include "stride/quant/dynamic_quantization.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "qdq_graphs.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "stride/quant/quantization_record.h"
#include "stride/zoo/zoo.h"

namespace stride::quant {
namespace {

using ::testing::HasSubstr;
using testing::ramp;
using testing::run_on_ref;
using ::testing::ThrowsMessage;

size_t count_ops(const Graph& g, const std::string& op) {
  return static_cast<size_t>(
      std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return n.op_type == op; }));
}

double max_abs(const Tensor& t) {
  double m = 0;
  for (float v : t.values<float>()) m = std::max(m, std::fabs(double(v)));
  return m;
}

double max_gap(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  double m = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    m = std::max(m, std::fabs(double(a.values<float>()[i]) - b.values<float>()[i]));
  return m;
}

// x [2, 16] → Gemm (transB, alpha 0.5, bias) → Relu → MatMul [8, 4] → y, and the Gemm's input also
// read by a second Gemm (one DynamicQuantizeLinear serves both).
Graph two_layer_graph() {
  Graph g;
  g.name = "two_layers";
  g.inputs = {{"x", DType::f32, {2, 16}}};
  g.outputs = {{"y", DType::f32, {}}, {"z", DType::f32, {}}};
  g.initializers = {{"w1", ramp({8, 16}, 0.013f, 0.0f)},
                    {"b1", ramp({8}, 0.05f, 1.0f)},
                    {"w2", ramp({8, 4}, -0.05f, 0.7f)},
                    {"w3", ramp({16, 3}, 0.02f, -0.4f)}};
  Node gemm{"fc1", "Gemm", {"x", "w1", "b1"}, {"h"}, {}};
  gemm.attrs.set("transB", int64_t{1});
  gemm.attrs.set("alpha", 0.5f);
  g.nodes = {gemm,
             {"relu", "Relu", {"h"}, {"h_relu"}, {}},
             {"fc2", "MatMul", {"h_relu", "w2"}, {"y"}, {}},
             {"side", "Gemm", {"x", "w3"}, {"z"}, {}}};
  return g;
}

TensorMap two_layer_inputs(uint64_t seed) { return random_inputs(two_layer_graph(), {{"x", {2, 16}}}, seed); }

TEST(DynamicQuantization, WritesTheStandardIntegerChainWithS8Weights) {
  const Graph q = quantize_dynamic(two_layer_graph());
  EXPECT_EQ(count_ops(q, "MatMulInteger"), 3u);
  EXPECT_EQ(count_ops(q, "DynamicQuantizeLinear"), 2u);  // x (read twice) and h_relu
  EXPECT_EQ(count_ops(q, "Gemm") + count_ops(q, "MatMul"), 0u);
  for (const Node& n : q.nodes)
    if (n.op_type == "MatMulInteger") EXPECT_EQ(q.initializers.at(n.inputs[1]).dtype(), DType::s8) << n.name;
  for (const char* w : {"w1", "w2", "w3"}) EXPECT_FALSE(q.initializers.count(w)) << w << " kept in f32";
  // fc1's s8 weights are stored [K, N] for MatMulInteger: the transpose of the Gemm's [N, K].
  EXPECT_EQ(q.initializers.at("w1_quantized").shape(), (Shape{16, 8}));
  const auto record = nlohmann::json::parse(q.metadata.at(kQuantizationKey));
  EXPECT_EQ(record["precision"], "dynamic");
  EXPECT_EQ(record["integer_nodes"].size(), 3u);
}

TEST(DynamicQuantization, RefOutputsStayCloseToTheFloatModel) {
  const Graph g = two_layer_graph(), q = quantize_dynamic(g);
  const TensorMap in = two_layer_inputs(7);
  const TensorMap f = run_on_ref(g, in), d = run_on_ref(q, in);
  for (const char* out : {"y", "z"}) {
    const double gap = max_gap(f.at(out), d.at(out));

    EXPECT_GT(gap, 0.0) << out << ": quantization changed nothing";
    // 8-bit data and weights: about 1% of the output's magnitude after two layers.
    EXPECT_LT(gap, 0.02 * max_abs(f.at(out))) << out;
  }
}

// The integer sums are exact with VNNI; without it the engine rounds the weights to 7 bits, which
// costs up to half a (doubled) weight step per product.
double engine_allowance(const Tensor& want) {
  return (onednn::has_exact_int8_dot_product() ? 1e-5 : 0.02) * std::max(1.0, max_abs(want));
}

void expect_onednn_matches_ref(const Graph& q, const TensorMap& in) {
  std::map<std::string, Shape> shapes;
  for (const auto& [name, t] : in) shapes[name] = t.shape();
  auto plan = OnednnBackend().compile_plan(q, {.threads = 0, .input_shapes = shapes});
  std::set<std::string> integer_nodes;
  for (const Node& n : q.nodes)
    if (n.op_type == "MatMulInteger") integer_nodes.insert(n.name);
  size_t integer_matmuls = 0, host_steps = 0;
  for (const auto& step : plan->steps()) {
    EXPECT_FALSE(onednn::is_reference_implementation(step.implementation)) << step.primitive;
    host_steps += step.implementation == "host";
    integer_matmuls += step.primitive == "matmul" && step.nodes.size() == 1 && integer_nodes.count(step.nodes[0]);
  }
  EXPECT_EQ(host_steps, count_ops(q, "DynamicQuantizeLinear"));
  EXPECT_EQ(integer_matmuls, integer_nodes.size());  // each a oneDNN int8 matmul
  const TensorMap want = run_on_ref(q, in), got = plan->run(in);
  for (const auto& [name, t] : want) EXPECT_LE(max_gap(t, got.at(name)), engine_allowance(t)) << name;
}

TEST(DynamicQuantization, OnednnRunsTheIntegerChainAsRefDoes) {
  expect_onednn_matches_ref(quantize_dynamic(two_layer_graph()), two_layer_inputs(11));
}

TEST(DynamicQuantization, ZooCnn2dGemmsBecomeIntegerAndConvolutionsKeepS8Weights) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = 4;
  const Graph g = build_model("cnn2d", o), q = quantize_dynamic(g);
  EXPECT_EQ(count_ops(q, "MatMulInteger"), count_ops(g, "Gemm"));
  EXPECT_EQ(count_ops(q, "Conv"), count_ops(g, "Conv"));
  for (const Node& n : q.nodes)
    if (n.op_type == "Conv") EXPECT_EQ(q.producer(n.inputs[1])->op_type, "DequantizeLinear") << n.name;
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 2);
  const TensorMap in = random_inputs(g, shapes, 3);
  const Tensor f = run_on_ref(g, in).at("feature"), d = run_on_ref(q, in).at("feature");
  EXPECT_GT(max_gap(f, d), 0.0);
  EXPECT_LT(max_gap(f, d), 0.05 * max_abs(f));
  expect_onednn_matches_ref(q, in);
}

// GaitSet's per-part HPM (MatMul with a [parts, K, N] weight) runs in integers too, and the whole
// model on onednn agrees with ref.
TEST(DynamicQuantization, ZooGaitsetBatchedHpmWeightBecomesInteger) {
  ZooOptions o;
  o.width_mult = 0.125;
  const Graph g = build_model("gaitset", o), q = quantize_dynamic(g);
  size_t batched = 0;
  for (const Node& n : q.nodes)
    if (n.op_type == "MatMulInteger" && q.initializers.at(n.inputs[1]).rank() == 3) ++batched;
  EXPECT_GE(batched, 1u);
  for (const auto& [name, t] : q.initializers)
    if (t.rank() == 3) EXPECT_EQ(t.dtype(), DType::s8) << name << ": a batched weight left in f32";
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 2);
  const TensorMap in = random_inputs(g, shapes, 3);
  const std::string out = g.outputs.front().name;
  const Tensor f = run_on_ref(g, in).at(out), d = run_on_ref(q, in).at(out);
  EXPECT_GT(max_gap(f, d), 0.0);
  EXPECT_LT(max_gap(f, d), 0.05 * max_abs(f));
  expect_onednn_matches_ref(q, in);
}

// An LSTM keeps f32 arithmetic (ONNX has no integer LSTM) with its W and R stored as s8.
TEST(DynamicQuantization, LstmWeightsAreStoredAsS8) {
  Graph g;
  g.name = "lstm";
  g.inputs = {{"x", DType::f32, {5, 2, 3}}};
  g.outputs = {{"y", DType::f32, {}}};
  g.initializers = {
      {"w", ramp({1, 16, 3}, 0.07f, -0.5f)}, {"r", ramp({1, 16, 4}, -0.03f, 0.9f)}, {"b", ramp({1, 32}, 0.01f, -0.1f)}};
  Node lstm{"lstm", "LSTM", {"x", "w", "r", "b"}, {"y"}, {}};
  lstm.attrs.set("hidden_size", int64_t{4});
  g.nodes = {lstm};
  const Graph q = quantize_dynamic(g);
  EXPECT_EQ(count_ops(q, "DequantizeLinear"), 2u);
  EXPECT_EQ(q.initializers.at("w_quantized").dtype(), DType::s8);
  EXPECT_EQ(q.initializers.at("r_quantized").dtype(), DType::s8);
  const TensorMap in = random_inputs(g, {{"x", {5, 2, 3}}}, 5);
  const double gap = max_gap(run_on_ref(g, in).at("y"), run_on_ref(q, in).at("y"));
  EXPECT_GT(gap, 0.0);
  EXPECT_LT(gap, 0.01);  // outputs lie in (-1, 1); weight steps are below 0.01
}

TEST(DynamicQuantization, SurvivesTheOnnxRoundTrip) {
  const Graph q = quantize_dynamic(two_layer_graph());
  const Graph back = parse_onnx(serialize_onnx(q), "dynamic.onnx");
  const TensorMap in = two_layer_inputs(13);
  EXPECT_EQ(max_gap(run_on_ref(q, in).at("y"), run_on_ref(back, in).at("y")), 0.0);
}

TEST(DynamicQuantization, AWeightSharedByTwoLayersStaysF32) {
  Graph g = two_layer_graph();
  g.nodes.back().inputs[1] = "w1";  // 'side' reads fc1's weight, transposed: [16, 8] read as K × N
  g.nodes.back().attrs.set("transB", int64_t{1});
  g.initializers.erase("w3");
  const Graph q = quantize_dynamic(g);
  EXPECT_EQ(count_ops(q, "MatMulInteger"), 1u);  // fc2 only
  EXPECT_EQ(q.initializers.at("w1").dtype(), DType::f32);
}

TEST(DynamicQuantization, RefusesAModelWithNothingToQuantize) {
  Graph g;
  g.inputs = {{"x", DType::f32, {2}}};
  g.outputs = {{"y", DType::f32, {}}};
  g.nodes = {{"relu", "Relu", {"x"}, {"y"}, {}}};
  EXPECT_THAT([&] { quantize_dynamic(g); }, ThrowsMessage<Error>(HasSubstr("nothing to quantize dynamically")));
}

}  // namespace
}  // namespace stride::quant
