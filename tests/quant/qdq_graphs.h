#pragma once
// Small float graphs the QDQ tests quantize, and running graphs on `ref`.
#include <string>

#include "stride/engine/inputs.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/graph.h"

namespace stride::testing {

inline Tensor ramp(Shape shape, float step, float offset) {
  Tensor t(DType::f32, std::move(shape));
  auto v = t.values<float>();
  for (size_t i = 0; i < v.size(); ++i) v[i] = offset + step * static_cast<float>(static_cast<int>(i % 13) - 6);
  return t;
}

inline Node conv_node(const std::string& name, const std::string& in, const std::string& weight,
                      const std::string& bias, const std::string& out) {
  Node n{name, "Conv", {in, weight, bias}, {out}, {}};
  n.attrs.set("kernel_shape", std::vector<int64_t>{3, 3});
  n.attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  return n;
}

// x [1,2,6,6] → two Conv+Relu branches → Concat → Conv → Relu → MaxPool → Flatten → Gemm (transB)
// → Softmax. Every rule of the QDQ contract has a place in it.
inline Graph branchy_graph() {
  Graph g;
  g.name = "branchy";
  g.inputs = {{"x", DType::f32, {1, 2, 6, 6}}};
  g.outputs = {{"probabilities", DType::f32, {1, 5}}};
  g.initializers["wa"] = ramp({3, 2, 3, 3}, 0.05f, 0.01f);
  g.initializers["ba"] = ramp({3}, 0.1f, 0.0f);
  g.initializers["wb"] = ramp({4, 2, 3, 3}, -0.04f, 0.02f);
  g.initializers["bb"] = ramp({4}, 0.05f, 0.1f);
  g.initializers["wc"] = ramp({6, 7, 3, 3}, 0.03f, 0.0f);
  g.initializers["bc"] = ramp({6}, 0.02f, 0.05f);
  g.initializers["wd"] = ramp({5, 54}, 0.02f, 0.01f);
  g.initializers["bd"] = ramp({5}, 0.1f, 0.0f);
  Node pool{"pool", "MaxPool", {"c_relu"}, {"pooled"}, {}};
  pool.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  pool.attrs.set("strides", std::vector<int64_t>{2, 2});
  Node concat{"concat", "Concat", {"a_relu", "b_relu"}, {"joined"}, {}};
  concat.attrs.set("axis", int64_t{1});
  Node gemm{"dense", "Gemm", {"flat", "wd", "bd"}, {"logits"}, {}};
  gemm.attrs.set("transB", int64_t{1});
  g.nodes = {conv_node("conv_a", "x", "wa", "ba", "a"),
             {"relu_a", "Relu", {"a"}, {"a_relu"}, {}},
             conv_node("conv_b", "x", "wb", "bb", "b"),
             {"relu_b", "Relu", {"b"}, {"b_relu"}, {}},
             concat,
             conv_node("conv_c", "joined", "wc", "bc", "c"),
             {"relu_c", "Relu", {"c"}, {"c_relu"}, {}},
             pool,
             {"flatten", "Flatten", {"pooled"}, {"flat"}, {}},
             gemm,
             {"softmax", "Softmax", {"logits"}, {"probabilities"}, {}}};
  return g;
}

inline TensorMap run_on_ref(const Graph& graph, const TensorMap& inputs) {
  std::map<std::string, Shape> shapes;
  for (const auto& [name, t] : inputs) shapes[name] = t.shape();
  return RefBackend().compile(graph, {.threads = 1, .input_shapes = shapes})->run(inputs);
}

}  // namespace stride::testing
