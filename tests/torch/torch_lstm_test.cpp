// The torch LSTM (what training differentiates) against the ref kernel (checked by hand in
// tests/ref/lstm_test.cpp), on every feature the ONNX operator has that the zoo could use.
#include <gtest/gtest.h>

#include <string>

#include "stride/core/random.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/engine/torch/torch_backend.h"
#include "stride/engine/torch/torch_lstm.h"
#include "tensor_compare.h"

namespace stride {
namespace {

Tensor random_tensor(Shape shape, uint64_t seed) {
  Tensor t(DType::f32, std::move(shape));
  Random rng(seed);
  for (float& v : t.values<float>()) v = 2 * rng.uniform() - 1;
  return t;
}

struct LstmCase {
  std::string direction = "forward";
  bool bias = true, initial_state = false, peepholes = false, batch_first = false;
  float clip = 0;
};

// x [T=5, N=3, I=4] (or [N, T, I]), hidden 6, every output a graph output.
Graph lstm_graph(const LstmCase& c) {
  const int64_t steps = 5, batch = 3, input = 4, hidden = 6, dirs = c.direction == "bidirectional" ? 2 : 1;
  Graph g;
  g.name = "lstm";
  const Shape x = c.batch_first ? Shape{batch, steps, input} : Shape{steps, batch, input};
  const Shape state = c.batch_first ? Shape{batch, dirs, hidden} : Shape{dirs, batch, hidden};
  g.inputs = {{"x", DType::f32, x}};
  g.initializers["w"] = random_tensor({dirs, 4 * hidden, input}, 1);
  g.initializers["r"] = random_tensor({dirs, 4 * hidden, hidden}, 2);
  std::vector<std::string> inputs = {"x", "w", "r", c.bias ? "b" : "", "", "", "", ""};
  if (c.bias) g.initializers["b"] = random_tensor({dirs, 8 * hidden}, 3);
  if (c.initial_state) {
    g.inputs.push_back({"h0", DType::f32, state});
    g.inputs.push_back({"c0", DType::f32, state});
    inputs[5] = "h0";
    inputs[6] = "c0";
  }
  if (c.peepholes) {
    g.initializers["p"] = random_tensor({dirs, 3 * hidden}, 4);
    inputs[7] = "p";
  }
  while (inputs.back().empty()) inputs.pop_back();
  Node node{"lstm", "LSTM", inputs, {"y", "y_h", "y_c"}, {}};
  node.attrs.set("hidden_size", hidden);
  node.attrs.set("direction", c.direction);
  if (c.batch_first) node.attrs.set("layout", int64_t{1});
  if (c.clip > 0) node.attrs.set("clip", c.clip);
  g.nodes = {node};
  const Shape y = c.batch_first ? Shape{batch, steps, dirs, hidden} : Shape{steps, dirs, batch, hidden};
  g.outputs = {{"y", DType::f32, y}, {"y_h", DType::f32, state}, {"y_c", DType::f32, state}};
  return g;
}

TensorMap run(const Backend& backend, const Graph& g, const TensorMap& inputs) {
  CompileOptions options;
  for (const auto& [name, t] : inputs) options.input_shapes[name] = t.shape();
  return backend.compile(g, options)->run(inputs);
}

void expect_matches_ref(const LstmCase& c) {
  const Graph g = lstm_graph(c);
  TensorMap inputs = {{"x", random_tensor(g.inputs[0].shape, 10)}};
  if (c.initial_state) {
    inputs["h0"] = random_tensor(g.inputs[1].shape, 11);
    inputs["c0"] = random_tensor(g.inputs[2].shape, 12);
  }
  const TensorMap expected = run(RefBackend(), g, inputs);
  const TensorMap actual = run(TorchBackend(), g, inputs);
  for (const auto& [name, t] : expected) EXPECT_TRUE(testing::close_to(actual.at(name), t, 1e-5)) << name;
}

TEST(TorchLstm, ForwardMatchesRef) { expect_matches_ref({}); }
TEST(TorchLstm, ReverseWithoutBiasMatchesRef) { expect_matches_ref({.direction = "reverse", .bias = false}); }
TEST(TorchLstm, BidirectionalWithInitialStateMatchesRef) {
  expect_matches_ref({.direction = "bidirectional", .initial_state = true});
}
TEST(TorchLstm, PeepholesAndClipMatchRef) { expect_matches_ref({.peepholes = true, .clip = 0.5f}); }
TEST(TorchLstm, BatchFirstLayoutMatchesRef) {
  expect_matches_ref({.direction = "bidirectional", .initial_state = true, .batch_first = true});
}

// Training differentiates the fused path; its gradients must be those of the ONNX equations. A clip
// too wide to act sends the same node down the step-by-step path: both must agree on every gradient.
TEST(TorchLstm, FusedGradientsEqualTheStepByStepOnes) {
  const Graph g = lstm_graph({.initial_state = true});
  auto gradients = [&](float clip) {
    Node node = g.nodes.at(0);
    if (clip > 0) node.attrs.set("clip", clip);
    std::vector<torch::Tensor> inputs;
    for (const std::string& name : node.inputs) {
      if (name.empty()) {
        inputs.emplace_back();
        continue;
      }
      // x, h0 and c0 are graph inputs: seeded values of their shapes.
      const Tensor t = g.initializers.count(name) ? g.initializers.at(name)
                       : name == "x"              ? random_tensor({5, 3, 4}, 20)
                                                  : random_tensor({1, 3, 6}, static_cast<uint64_t>(name[0]));
      inputs.push_back(torch::from_blob(const_cast<float*>(t.data<float>()), t.shape(), torch::kFloat)
                           .clone()
                           .set_requires_grad(true));
    }
    const torch_ops::OpContext ctx{node, inputs, {}};
    const std::vector<torch::Tensor> out = torch_ops::lstm(ctx);
    (out[0].sum() + 2 * out[1].sum() + 3 * out[2].sum()).backward();
    std::vector<torch::Tensor> grads;
    for (const torch::Tensor& t : inputs)
      if (t.defined()) grads.push_back(t.grad());
    return grads;
  };
  const std::vector<torch::Tensor> fused = gradients(0), stepwise = gradients(1e6f);
  ASSERT_EQ(fused.size(), stepwise.size());
  for (size_t i = 0; i < fused.size(); ++i) {
    ASSERT_TRUE(fused[i].defined() && stepwise[i].defined()) << "input " << i;
    EXPECT_TRUE(torch::allclose(fused[i], stepwise[i], 1e-4, 1e-5)) << "input " << i;
  }
}

}  // namespace
}  // namespace stride
