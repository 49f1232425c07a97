// The QDQ writer against the engine's contract (docs/quantize.md): which values get which
// QuantizeLinear/DequantizeLinear, with which scales, axes and types; and the written model on
// `ref` against the float model it came from.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "qdq_graphs.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"

namespace stride::quant {
namespace {

using testing::branchy_graph;
using testing::run_on_ref;

const Node* node_named(const Graph& g, const std::string& name) {
  for (const Node& n : g.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const Node* reader_of(const Graph& g, const std::string& value, const std::string& op) {
  for (const Node& n : g.nodes)
    if (n.op_type == op && std::find(n.inputs.begin(), n.inputs.end(), value) != n.inputs.end()) return &n;
  return nullptr;
}

// Ranges by hand: x in [-1, 1], everything after a Relu in [0, r].
std::map<std::string, Range> hand_ranges() {
  return {{"x", {-1.0, 0.5}},  {"a_relu", {0, 2.0}}, {"b_relu", {0, 3.0}}, {"joined", {0, 2.5}},
          {"c_relu", {0, 4.0}}, {"pooled", {0, 3.5}}, {"flat", {0, 3.5}}};
}

TEST(QdqSelection, ChoosesTheContractsActivationsAndSharesScalesThroughScalePreservingOps) {
  const QdqSelection s = select_qdq(branchy_graph());
  EXPECT_EQ(s.nodes, (std::vector<std::string>{"conv_a", "conv_b", "conv_c", "dense"}));
  // The Concat's inputs and output share one group, as do the Relu → MaxPool → Flatten chain;
  // the convolutions' own outputs (read by Relu only) and the Gemm's (read by Softmax) are not quantized.
  EXPECT_EQ(s.groups, (std::vector<std::vector<std::string>>{
                          {"x"}, {"a_relu", "b_relu", "joined"}, {"c_relu", "pooled", "flat"}}));
}

TEST(QdqSelection, AModelWithoutConstantWeightsHasNothingToQuantize) {
  Graph g;
  g.inputs = {{"x", DType::f32, {1, 4}}, {"w", DType::f32, {4, 2}}};
  g.outputs = {{"y", DType::f32, {1, 2}}};
  g.nodes = {{"mm", "MatMul", {"x", "w"}, {"y"}, {}}};
  EXPECT_THROW(select_qdq(g), Error);
}

TEST(QdqWriter, WeightsAreS8PerChannelWithTheOutputChannelAxisAndBiasesInt32) {
  const Graph q = write_qdq(branchy_graph(), select_qdq(branchy_graph()), hand_ranges());
  const Node* conv = node_named(q, "conv_a");
  ASSERT_NE(conv, nullptr);
  const Node* w_dq = q.producer(conv->inputs[1]);
  ASSERT_NE(w_dq, nullptr);
  EXPECT_EQ(w_dq->op_type, "DequantizeLinear");
  EXPECT_EQ(w_dq->attrs.get_int("axis"), 0);
  const Tensor& w = q.initializers.at(w_dq->inputs[0]);
  EXPECT_EQ(w.dtype(), DType::s8);
  const Tensor& w_scale = q.initializers.at(w_dq->inputs[1]);
  EXPECT_EQ(w_scale.shape(), (Shape{3}));
  EXPECT_EQ(q.initializers.at(w_dq->inputs[2]).dtype(), DType::s8);
  // scale = max |w| / 127 per output channel; the largest weight of each channel is ±127.
  const Graph g = branchy_graph();
  const Tensor& wa = g.initializers.at("wa");
  for (int64_t c = 0; c < 3; ++c) {
    float absmax = 0;
    int8_t qmax = 0;
    for (int64_t i = 0; i < 18; ++i) {
      absmax = std::max(absmax, std::fabs(wa.values<float>()[c * 18 + i]));
      qmax = std::max<int8_t>(qmax, static_cast<int8_t>(std::abs(w.values<int8_t>()[c * 18 + i])));
    }
    EXPECT_FLOAT_EQ(w_scale.values<float>()[c], absmax / 127);
    EXPECT_EQ(qmax, 127);
  }
  // Bias: int32 on scale s_x · s_w[c], s_x = 1/127 (x is s8 over [-1, 1]).
  const Node* b_dq = q.producer(conv->inputs[2]);
  ASSERT_NE(b_dq, nullptr);
  const Tensor& b = q.initializers.at(b_dq->inputs[0]);
  EXPECT_EQ(b.dtype(), DType::s32);
  EXPECT_EQ(b_dq->attrs.get_int("axis"), 0);
  const float s_x = 1.0f / 127;
  for (int64_t c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(q.initializers.at(b_dq->inputs[1]).values<float>()[c], s_x * w_scale.values<float>()[c]);
    const double bias = g.initializers.at("ba").values<float>()[c];
    EXPECT_EQ(b.values<int32_t>()[c], static_cast<int32_t>(std::nearbyint(bias / (double(s_x) * w_scale.values<float>()[c]))));
  }
  // Gemm with transB = 1: its weight [N, K] has the output channels on axis 0.
  EXPECT_EQ(q.producer(node_named(q, "dense")->inputs[1])->attrs.get_int("axis"), 0);
  // The float weights are gone.
  EXPECT_EQ(q.initializers.count("wa"), 0u);
}

TEST(QdqWriter, PerTensorWeightsHaveOneScaleAndNoAxis) {
  const Graph q = write_qdq(branchy_graph(), select_qdq(branchy_graph()), hand_ranges(), {.per_channel = false});
  const Node* conv = node_named(q, "conv_b");
  const Node* w_dq = q.producer(conv->inputs[1]);
  EXPECT_FALSE(w_dq->attrs.has("axis"));
  EXPECT_EQ(q.initializers.at(w_dq->inputs[1]).rank(), 0u);
  // One scale: the largest |w| of the whole tensor maps to ±127.
  int largest = 0;
  for (int8_t v : q.initializers.at(w_dq->inputs[0]).values<int8_t>()) largest = std::max(largest, std::abs(int(v)));
  EXPECT_EQ(largest, 127);
  EXPECT_EQ(q.initializers.at(q.producer(conv->inputs[2])->inputs[1]).rank(), 0u);
}

// [K, N]: one scale per output column (axis 1). A batched [P, K, N] weight (GaitSet's per-part HPM)
// gets one scale: ONNX Runtime's QLinearMatMul refuses per-column scales at rank 3.
TEST(QdqWriter, MatMulWeightsAreScaledPerOutputColumnUnlessBatched) {
  for (const Shape& shape : {Shape{4, 3}, Shape{2, 4, 3}}) {
    Graph g;
    g.inputs = {{"x", DType::f32, shape.size() == 2 ? Shape{1, 4} : Shape{2, 1, 4}}};
    g.outputs = {{"y", DType::f32, shape.size() == 2 ? Shape{1, 3} : Shape{2, 1, 3}}};
    g.initializers["w"] = testing::ramp(shape, 0.1f, 0.0f);
    g.nodes = {{"mm", "MatMul", {"x", "w"}, {"y"}, {}}};
    const Graph q = write_qdq(g, select_qdq(g), {{"x", {-1, 1}}});
    const Node* dq = q.producer(node_named(q, "mm")->inputs[1]);
    ASSERT_NE(dq, nullptr);
    if (shape.size() == 2) {
      EXPECT_EQ(dq->attrs.get_int("axis"), 1);
      EXPECT_EQ(q.initializers.at(dq->inputs[1]).shape(), (Shape{3}));
    } else {
      EXPECT_EQ(q.initializers.at(dq->inputs[1]).numel(), 1);
    }
  }
}

TEST(QdqWriter, ActivationsHaveZeroPointZeroAndTheirGroupsScaleAndType) {
  const Graph q = write_qdq(branchy_graph(), select_qdq(branchy_graph()), hand_ranges());
  auto scale_and_type = [&](const std::string& value) {
    const Node* qn = reader_of(q, value, "QuantizeLinear");
    EXPECT_NE(qn, nullptr) << value;
    const Tensor& zp = q.initializers.at(qn->inputs[2]);
    EXPECT_EQ(zp.to_int64_vector(), std::vector<int64_t>{0}) << value;
    EXPECT_EQ(zp.rank(), 0u) << value;
    return std::pair{q.initializers.at(qn->inputs[1]).values<float>()[0], zp.dtype()};
  };
  // x goes below zero: s8 over max |x| = 1.
  EXPECT_EQ(scale_and_type("x"), std::pair(1.0f / 127, DType::s8));
  // Concat: one scale for inputs and output, from the widest range (3.0), u8 after ReLU.
  for (const char* v : {"a_relu", "b_relu", "joined"}) EXPECT_EQ(scale_and_type(v), std::pair(3.0f / 255, DType::u8)) << v;
  for (const char* v : {"c_relu", "pooled", "flat"}) EXPECT_EQ(scale_and_type(v), std::pair(4.0f / 255, DType::u8)) << v;
  // The scale-preserving ops read a DequantizeLinear and their output goes through a QuantizeLinear.
  EXPECT_EQ(q.producer(node_named(q, "pool")->inputs[0])->op_type, "DequantizeLinear");
  EXPECT_EQ(q.producer(node_named(q, "concat")->inputs[1])->op_type, "DequantizeLinear");
  // Not quantized: a Conv output read only by its Relu, and the logits read by Softmax.
  EXPECT_EQ(reader_of(q, "a", "QuantizeLinear"), nullptr);
  EXPECT_EQ(reader_of(q, "logits", "QuantizeLinear"), nullptr);
  EXPECT_EQ(node_named(q, "softmax")->inputs[0], "logits");
  EXPECT_EQ(q.outputs, branchy_graph().outputs);
}

TEST(QdqWriter, AGraphOutputReadByAQuantizedOpKeepsItsNameOnTheDequantizeLinear) {
  Graph g = branchy_graph();
  g.outputs.push_back({"flat", DType::f32, {1, 54}});
  const Graph q = write_qdq(g, select_qdq(g), hand_ranges());
  const Node* dq = q.producer("flat");
  ASSERT_NE(dq, nullptr);
  EXPECT_EQ(dq->op_type, "DequantizeLinear");
  EXPECT_EQ(node_named(q, "dense")->inputs[0], "flat");
}

TEST(QdqWriter, NodesKeptInFloatKeepTheirFloatWeights) {
  const Graph q = write_qdq(branchy_graph(), select_qdq(branchy_graph(), {"dense"}), hand_ranges());
  EXPECT_EQ(node_named(q, "dense")->inputs[1], "wd");
  EXPECT_EQ(q.initializers.at("wd").dtype(), DType::f32);
}

TEST(Int8Quantization, CalibratedModelRunsOnRefCloseToTheFloatModelAndRecordsItself) {
  const Graph g = branchy_graph();
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 1);
  std::vector<TensorMap> samples;
  for (uint64_t seed = 1; seed <= 4; ++seed) samples.push_back(random_inputs(g, shapes, seed));
  RefBackend ref;
  const StatisticsMap stats = collect_statistics(g, activations_to_calibrate(g), ref, samples);
  const Graph q = quantize_int8(g, stats, {.method = Method::minmax, .samples = 4});

  // Logits in float and quantized; the quantized model's last quantized activation has scale s.
  Graph with_logits = g, q_logits = q;
  with_logits.outputs.push_back({"logits", DType::f32, {1, 5}});
  q_logits.outputs.push_back({"logits", DType::f32, {1, 5}});
  const TensorMap in = random_inputs(g, shapes, 99);
  const Tensor f = run_on_ref(with_logits, in).at("logits"), r = run_on_ref(q_logits, in).at("logits");
  double worst = 0, largest = 0;
  for (int64_t i = 0; i < f.numel(); ++i) {
    worst = std::max(worst, std::fabs(double(f.values<float>()[i]) - r.values<float>()[i]));
    largest = std::max(largest, std::fabs(double(f.values<float>()[i])));
  }
  EXPECT_GT(worst, 0.0);  // it really computed on quantized values
  EXPECT_LT(worst, 0.02 * largest + 1e-3) << "largest logit " << largest;

  const auto record = nlohmann::json::parse(q.metadata.at(kQuantizationKey));
  EXPECT_EQ(record["method"], "minmax");
  EXPECT_EQ(record["calibration_samples"], 4);
  EXPECT_EQ(record["activations"]["c_relu"]["type"], "u8");
  EXPECT_DOUBLE_EQ(record["activations"]["x"]["min"].get<double>(), stats.at("x").min);
}

TEST(Int8Quantization, QdqModelRoundTripsThroughOnnx) {
  const Graph g = branchy_graph();
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 1);
  const std::vector<TensorMap> samples = {random_inputs(g, shapes, 3)};
  const StatisticsMap stats = collect_statistics(g, activations_to_calibrate(g), RefBackend(), samples);
  const Graph q = quantize_int8(g, stats, {.method = Method::entropy, .samples = 1});
  const std::string bytes = serialize_onnx(q);
  const Graph back = parse_onnx(bytes, "quantized");
  EXPECT_EQ(serialize_onnx(back), bytes);
  const TensorMap in = random_inputs(g, shapes, 5);
  EXPECT_EQ(run_on_ref(back, in).at("probabilities"), run_on_ref(q, in).at("probabilities"));
}

}  // namespace
}  // namespace stride::quant
