// LSTM on oneDNN's LSTM primitive against the ref kernel (checked by hand in tests/ref/lstm_test.cpp):
// the gates rearranged from ONNX's order, the biases summed, the states read and written in place.
#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

struct LstmCase {
  std::string direction = "forward";
  bool bias = true, initial_state = false;
  std::vector<std::string> outputs = {"y", "y_h", "y_c"};  // "" leaves that output out
};

// x [T=7, N, I=5], hidden 6, then Relu on each output kept (so that the outputs are read by
// another step, as in a model).
Graph lstm_graph(const LstmCase& c) {
  GraphMaker m;
  const int64_t hidden = 6, dirs = c.direction == "bidirectional" ? 2 : 1;
  const std::string x = m.input("x", {7, -1, 5});
  std::vector<std::string> inputs = {x, m.weight("w", {dirs, 4 * hidden, 5}),
                                     m.weight("r", {dirs, 4 * hidden, hidden}),
                                     c.bias ? m.weight("b", {dirs, 8 * hidden}) : ""};
  if (c.initial_state) {
    inputs.insert(inputs.end(), {"", m.input("h0", {1, -1, hidden}), m.input("c0", {1, -1, hidden})});
  }
  Graph g = m.graph();
  Node lstm{"lstm", "LSTM", inputs, c.outputs, attributes({{"hidden_size", hidden}, {"direction", c.direction}})};
  g.nodes.push_back(lstm);
  for (const std::string& out : c.outputs)
    if (!out.empty()) g.nodes.push_back({out + "_relu", "Relu", {out}, {out + "_relu"}, {}});
  std::map<std::string, Shape> known = {{"x", {7, 3, 5}}};
  if (c.initial_state) known = {{"x", {7, 3, 5}}, {"h0", {1, 3, hidden}}, {"c0", {1, 3, hidden}}};
  const GraphShapes shapes = infer_shapes(g, known);
  for (const std::string& out : c.outputs)
    if (!out.empty()) {
      Shape s = shapes.at(out + "_relu").shape;
      s[out == "y" ? 2 : 1] = -1;
      g.outputs.push_back({out + "_relu", DType::f32, s});
    }
  return g;
}

void expect_lstm_matches_ref(const LstmCase& c, int64_t batch) {
  const std::map<std::string, Shape> shapes = {{"x", {7, batch, 5}}, {"h0", {1, batch, 6}}, {"c0", {1, batch, 6}}};
  const Graph g = lstm_graph(c);
  std::map<std::string, Shape> used;
  for (const auto& in : g.inputs) used[in.name] = shapes.at(in.name);
  auto plan = expect_matches_ref(g, used, 1e-5);
  EXPECT_EQ(step_computing(*plan, "lstm").primitive, "rnn");
  for (const auto& step : plan->steps()) EXPECT_FALSE(is_reference_kernel(step)) << step.primitive;
}

TEST(OnednnLstm, ForwardWithBias) { expect_lstm_matches_ref({}, 3); }
TEST(OnednnLstm, ReverseWithoutBias) { expect_lstm_matches_ref({.direction = "reverse", .bias = false}, 3); }
TEST(OnednnLstm, InitialStateBatchOne) { expect_lstm_matches_ref({.initial_state = true}, 1); }
TEST(OnednnLstm, OnlyTheLastStateRead) { expect_lstm_matches_ref({.outputs = {"", "y_h"}}, 4); }

TEST(OnednnLstm, BidirectionalIsRefusedByName) {
  try {
    OnednnBackend().compile_plan(lstm_graph({.direction = "bidirectional"}), {.input_shapes = {{"x", {7, 2, 5}}}});
    FAIL() << "compiled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("node 'lstm' (LSTM)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace stride::testing
