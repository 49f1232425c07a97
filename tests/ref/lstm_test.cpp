// LSTM against steps worked out by hand from the ONNX equations (gate order i, o, f, c):
//   i = σ(x·Wi + h·Ri + Pi⊙c + Wbi + Rbi)   f = σ(x·Wf + h·Rf + Pf⊙c + Wbf + Rbf)   g = tanh(x·Wc + h·Rc + Wbc + Rbc)
//   c' = f⊙c + i⊙g                          o = σ(x·Wo + h·Ro + Po⊙c' + Wbo + Rbo)   h' = o⊙tanh(c')
// Weights are picked so that most gates are exact: σ(0) = 1/2, σ(±ln 3) = 3/4 and 1/4, tanh(ln 2) = 3/5.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "ref/one_node.h"
#include "stride/ir/cost.h"

namespace stride {
namespace {

using testing::attrs;
using ::testing::HasSubstr;
using testing::tensor_near;
using ::testing::ThrowsMessage;

const float kLn3 = std::log(3.0f);
const float kLn2 = std::log(2.0f);

Tensor t(const Shape& shape, const std::vector<float>& values) { return Tensor::from_vector<float>(shape, values); }

const std::vector<std::string> kAllOutputs{"y", "y_h", "y_c"};

TensorMap lstm(const testing::NamedTensors& inputs, Attributes a = {}) {
  return testing::run_one_node("LSTM", inputs, std::move(a), kAllOutputs);
}

// One unit, one input: i from x (ln 3 → 3/4), f from x (−ln 3 → 1/4), g from x (ln 2 → 3/5), o from x (0 → 1/2).
const Tensor kW = t({1, 4, 1}, {kLn3, 0, -kLn3, kLn2});
const Tensor kR = t({1, 4, 1}, {0, 0, 0, 0});

TEST(LSTM, OneStepByHandWithBiasAndInitialState) {
  // x = 1, h0 = 1, c0 = 0.5. i takes ln 3 from the W bias, o takes ln 3 from R·h0 (its two
  // biases cancel), f takes −ln 3 from W, g takes ln 2 from W.
  const Tensor w = t({1, 4, 1}, {0, 0, -kLn3, kLn2});
  const Tensor r = t({1, 4, 1}, {0, kLn3, 0, 0});
  const Tensor b = t({1, 8}, {kLn3, 1, 0, 0, 0, -1, 0, 0});
  const TensorMap out = lstm({{"x", t({1, 1, 1}, {1})},
                              {"$w", w},
                              {"$r", r},
                              {"$b", b},
                              {"", {}},
                              {"h0", t({1, 1, 1}, {1})},
                              {"c0", t({1, 1, 1}, {0.5f})}});
  // c1 = 1/4 · 0.5 + 3/4 · 3/5 = 0.575; h1 = 3/4 · tanh(0.575)
  const float h1 = 0.75f * std::tanh(0.575f);
  EXPECT_TRUE(tensor_near(out.at("y"), {1, 1, 1, 1}, {h1}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 1}, {h1}));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 1}, {0.575f}));
}

// x = [1, 0] over two steps from a zero state, R = 0:
//   step x=1: c = 3/4·3/5 = 0.45, h = a = tanh(0.45)/2;  step x=0 after it: c = 0.45/2, h = b = tanh(0.225)/2.
//   step x=0 from zero: c = 0, h = 0.
const float kA = 0.5f * std::tanh(0.45f);
const float kB = 0.5f * std::tanh(0.225f);

TEST(LSTM, ForwardCarriesTheStateAcrossSteps) {
  const TensorMap out = lstm({{"x", t({2, 1, 1}, {1, 0})}, {"$w", kW}, {"$r", kR}});
  EXPECT_TRUE(tensor_near(out.at("y"), {2, 1, 1, 1}, {kA, kB}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 1}, {kB}));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 1}, {0.225f}));
}

TEST(LSTM, ReverseReadsTheSequenceBackwards) {
  const TensorMap out =
      lstm({{"x", t({2, 1, 1}, {1, 0})}, {"$w", kW}, {"$r", kR}}, attrs({{"direction", std::string("reverse")}}));
  // t=1 (x=0) first gives 0; then t=0 (x=1) gives a. Y keeps time order.
  EXPECT_TRUE(tensor_near(out.at("y"), {2, 1, 1, 1}, {kA, 0}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 1}, {kA}));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 1}, {0.45f}));
}

TEST(LSTM, BidirectionalStacksForwardThenReverse) {
  const Tensor w2 = t({2, 4, 1}, {kLn3, 0, -kLn3, kLn2, kLn3, 0, -kLn3, kLn2});
  const TensorMap out = lstm({{"x", t({2, 1, 1}, {1, 0})}, {"$w", w2}, {"$r", t({2, 4, 1}, std::vector<float>(8))}},
                             attrs({{"direction", std::string("bidirectional")}}));
  // Y is [T, D, N, H]: (t0 fwd, t0 rev, t1 fwd, t1 rev).
  EXPECT_TRUE(tensor_near(out.at("y"), {2, 2, 1, 1}, {kA, kA, kB, 0}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {2, 1, 1}, {kB, kA}));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {2, 1, 1}, {0.225f, 0.45f}));
}

TEST(LSTM, BatchRowsAndLayouts) {
  // Row 0 sees x = (1, 0) -> (a, b); row 1 sees x = (0, 1) -> (0, a).
  const TensorMap time_major = lstm({{"x", t({2, 2, 1}, {1, 0, 0, 1})}, {"$w", kW}, {"$r", kR}});
  EXPECT_TRUE(tensor_near(time_major.at("y"), {2, 1, 2, 1}, {kA, 0, kB, kA}));
  EXPECT_TRUE(tensor_near(time_major.at("y_h"), {1, 2, 1}, {kB, kA}));

  const TensorMap batch_first =
      lstm({{"x", t({2, 2, 1}, {1, 0, 0, 1})}, {"$w", kW}, {"$r", kR}}, attrs({{"layout", int64_t{1}}}));
  EXPECT_TRUE(tensor_near(batch_first.at("y"), {2, 2, 1, 1}, {kA, kB, 0, kA}));
  EXPECT_TRUE(tensor_near(batch_first.at("y_h"), {2, 1, 1}, {kB, kA}));
  EXPECT_TRUE(tensor_near(batch_first.at("y_c"), {2, 1, 1}, {0.225f, 0.45f}));
}

TEST(LSTM, WeightRowsAreGateMajorThenUnit) {
  // Two units, two inputs, x = (1, 1), h0 = (1, 0), c0 = 0. Unit 0: i = 3/4 (W), o = 3/4 (R·h0),
  // g = 3/5 -> c = 0.45. Unit 1: i = 1/2, o = 3/4 (W), g = 3/5 from x1 -> c = 0.3.
  std::vector<float> w(16, 0.0f), r(16, 0.0f);
  auto at = [](int gate, int unit, int col) { return static_cast<size_t>((gate * 2 + unit) * 2 + col); };
  const int kI = 0, kO = 1, kC = 3;
  w[at(kI, 0, 0)] = kLn3;
  w[at(kO, 1, 1)] = kLn3;
  w[at(kC, 0, 0)] = kLn2;
  w[at(kC, 1, 1)] = kLn2;
  r[at(kO, 0, 0)] = kLn3;
  const TensorMap out = lstm({{"x", t({1, 1, 2}, {1, 1})},
                              {"$w", t({1, 8, 2}, w)},
                              {"$r", t({1, 8, 2}, r)},
                              {"", {}},
                              {"", {}},
                              {"h0", t({1, 1, 2}, {1, 0})}});
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 2}, {0.45f, 0.3f}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 2}, {0.75f * std::tanh(0.45f), 0.75f * std::tanh(0.3f)}));
}

TEST(LSTM, Peepholes) {
  // x = 1, c0 = 1, W gives only g = 3/5. Pi·c0 = ln 3 -> i = 3/4; Pf·c0 = −ln 3 -> f = 1/4;
  // c1 = 1/4 + 3/4·3/5 = 0.7; Po·c1 = ln 3 -> o = 3/4.
  const Tensor p = t({1, 3}, {kLn3, kLn3 / 0.7f, -kLn3});
  const TensorMap out = lstm({{"x", t({1, 1, 1}, {1})},
                              {"$w", t({1, 4, 1}, {0, 0, 0, kLn2})},
                              {"$r", kR},
                              {"", {}},
                              {"", {}},
                              {"", {}},
                              {"c0", t({1, 1, 1}, {1})},
                              {"$p", p}});
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 1}, {0.7f}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 1}, {0.75f * std::tanh(0.7f)}));
}

TEST(LSTM, InputForgetCouplesTheForgetGateToTheInputGate) {
  // W would drive f to σ(100) ≈ 1; coupled, f = 1 − i = 1/4: c1 = 1/4·1 + 3/4·3/5 = 0.7.
  const TensorMap out = lstm({{"x", t({1, 1, 1}, {1})},
                              {"$w", t({1, 4, 1}, {kLn3, 0, 100, kLn2})},
                              {"$r", kR},
                              {"", {}},
                              {"", {}},
                              {"", {}},
                              {"c0", t({1, 1, 1}, {1})}},
                             attrs({{"input_forget", int64_t{1}}}));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 1}, {0.7f}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 1}, {0.5f * std::tanh(0.7f)}));
}

TEST(LSTM, ClipBoundsTheGateInputs) {
  // With clip 0.5: i = σ(0.5), g = tanh(0.5) (ln 3 and ln 2 are both above 0.5), o = σ(0).
  const TensorMap out = lstm({{"x", t({1, 1, 1}, {1})}, {"$w", kW}, {"$r", kR}}, attrs({{"clip", 0.5f}}));
  const float c1 = std::tanh(0.5f) / (1.0f + std::exp(-0.5f));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 1, 1}, {c1}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 1, 1}, {0.5f * std::tanh(c1)}));
}

TEST(LSTM, SequenceLengthsStopEachRowAndZeroTheRest) {
  // Row 0 runs both steps on (1, 0); row 1 runs one step on (1) and its second Y is zero.
  const TensorMap out = lstm({{"x", t({2, 2, 1}, {1, 1, 0, 5})},
                              {"$w", kW},
                              {"$r", kR},
                              {"", {}},
                              {"lens", Tensor::from_vector<int32_t>({2}, {2, 1})}});
  EXPECT_TRUE(tensor_near(out.at("y"), {2, 1, 2, 1}, {kA, kA, kB, 0}));
  EXPECT_TRUE(tensor_near(out.at("y_h"), {1, 2, 1}, {kB, kA}));
  EXPECT_TRUE(tensor_near(out.at("y_c"), {1, 2, 1}, {0.225f, 0.45f}));
  EXPECT_THAT(
      [&] {
        lstm({{"x", t({2, 2, 1}, {1, 1, 0, 5})},
              {"$w", kW},
              {"$r", kR},
              {"", {}},
              {"lens", Tensor::from_vector<int32_t>({2}, {3, 1})}});
      },
      ThrowsMessage<Error>(HasSubstr("sequence_lens values must be between 1 and seq_length=2")));
}

TEST(LSTM, BidirectionalShapesInBothLayouts) {
  // T=5, N=2, I=4, H=3; only Y_h is asked for in the second run.
  const Tensor x = Tensor(DType::f32, {5, 2, 4});
  const Tensor w = Tensor(DType::f32, {2, 12, 4});
  const Tensor r = Tensor(DType::f32, {2, 12, 3});
  const Attributes bi = attrs({{"direction", std::string("bidirectional")}, {"hidden_size", int64_t{3}}});
  const TensorMap out = lstm({{"x", x}, {"$w", w}, {"$r", r}}, bi);
  EXPECT_EQ(out.at("y").shape(), (Shape{5, 2, 2, 3}));
  EXPECT_EQ(out.at("y_h").shape(), (Shape{2, 2, 3}));
  EXPECT_EQ(out.at("y_c").shape(), (Shape{2, 2, 3}));

  Attributes batch_first = bi;
  batch_first.set("layout", int64_t{1});
  const TensorMap only_h = testing::run_one_node("LSTM", {{"x", Tensor(DType::f32, {2, 5, 4})}, {"$w", w}, {"$r", r}},
                                                 batch_first, std::vector<std::string>{"", "y_h"});
  ASSERT_EQ(only_h.size(), 1u);
  EXPECT_EQ(only_h.at("y_h").shape(), (Shape{2, 2, 3}));
}

TEST(LSTM, RefusesMalformedNodes) {
  const Tensor x = t({1, 1, 1}, {1});
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", t({1, 3, 1}, {0, 0, 0})}, {"$r", kR}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'lstm' (LSTM)"), HasSubstr("W must be [num_directions=1"))));
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", kW}, {"$r", t({1, 4, 2}, std::vector<float>(8))}});
      },
      ThrowsMessage<Error>(HasSubstr("R must be [1,4,1]")));
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", kW}, {"$r", kR}}, attrs({{"hidden_size", int64_t{2}}}));
      },
      ThrowsMessage<Error>(HasSubstr("hidden_size=2")));
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", kW}, {"$r", kR}}, attrs({{"direction", std::string("backward")}}));
      },
      ThrowsMessage<Error>(HasSubstr("direction must be")));
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", kW}, {"$r", kR}},
             attrs({{"activations", std::vector<std::string>{"Sigmoid", "Relu", "Tanh"}}}));
      },
      ThrowsMessage<Error>(HasSubstr("only the default activations")));
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", kW}, {"$r", kR}, {"$b", t({1, 4}, {0, 0, 0, 0})}});
      },
      ThrowsMessage<Error>(HasSubstr("B must be [1,8]")));
  EXPECT_THAT(
      [&] {
        lstm({{"x", x}, {"$w", kW}, {"$r", kR}, {"", {}}, {"", {}}, {"h0", t({1, 2, 1}, {0, 0})}});
      },
      ThrowsMessage<Error>(HasSubstr("initial_h must be [1,1,1]")));
  // The default activations spelled out are accepted.
  EXPECT_NO_THROW(lstm({{"x", x}, {"$w", kW}, {"$r", kR}},
                       attrs({{"activations", std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}}})));
}

TEST(LSTM, Macs) {
  // directions · T · N · 4H · (I + H) = 2 · 5 · 2 · 12 · 7
  const Graph g = testing::one_node_graph("LSTM",
                                          {{"x", Tensor(DType::f32, {5, 2, 4})},
                                           {"$w", Tensor(DType::f32, {2, 12, 4})},
                                           {"$r", Tensor(DType::f32, {2, 12, 3})}},
                                          attrs({{"direction", std::string("bidirectional")}}), kAllOutputs);
  const ModelCost cost = model_cost(g);
  EXPECT_EQ(cost.macs, 2 * 5 * 2 * 12 * 7);
  EXPECT_EQ(cost.params, 2 * 12 * 4 + 2 * 12 * 3);
}

}  // namespace
}  // namespace stride
