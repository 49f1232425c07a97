#pragma once
// Graphs with 3-D convolutions for the 3D→2D conversion tests, and running them on a backend.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "onednn/onednn_test_support.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/graph.h"
#include "stride/zoo/zoo.h"

namespace stride::testing {

struct Conv3dCase {
  Shape input = {2, 3, 7, 9, 8};   // N, Ci, T, H, W
  Shape weight = {4, 3, 3, 3, 2};  // Co, Ci/group, kt, kh, kw
  std::vector<int64_t> strides = {2, 2, 2};
  std::vector<int64_t> pads = {1, 1, 2, 2, 0, 1};  // t, h, w begins, then ends
  std::vector<int64_t> dilations = {1, 1, 1};
  int64_t group = 1;
};

// x → Conv3D "conv" (random weight and bias) → Relu "relu" → y.
inline Graph one_conv3d_graph(const Conv3dCase& c = {}) {
  Graph g;
  g.name = "one_conv3d";
  g.inputs.push_back({"x", DType::f32, c.input});
  g.initializers["conv.weight"] = random_tensor(c.weight, 11);
  g.initializers["conv.bias"] = random_tensor({c.weight[0]}, 12);
  Attributes a;
  a.set("kernel_shape", std::vector<int64_t>(c.weight.begin() + 2, c.weight.end()));
  a.set("strides", c.strides);
  a.set("pads", c.pads);
  a.set("dilations", c.dilations);
  a.set("group", c.group);
  g.nodes.push_back({"conv", "Conv", {"x", "conv.weight", "conv.bias"}, {"conv_out"}, a});
  g.nodes.push_back({"relu", "Relu", {"conv_out"}, {"y"}, {}});
  g.outputs.push_back({"y", DType::f32, {}});
  return g;
}

// The paper's 3D-CNN at an eighth of its width (input sizes and layers as in the paper).
inline Graph small_cnn3d() { return build_model("cnn3d", {.classes = 10, .width_mult = 0.125, .seed = 5}); }

// Seeded inputs in [-1, 1) for every graph input, unknown dims set to `batch`.
inline TensorMap inputs_for(const Graph& g, int64_t batch) {
  return signed_random_inputs(g, input_shapes_at_batch(g, batch));
}

inline TensorMap run_on(const std::string& backend, const Graph& g, const TensorMap& inputs) {
  CompileOptions options;
  for (const auto& [name, t] : inputs) options.input_shapes[name] = t.shape();
  return make_backend(backend)->compile(g, options)->run(inputs);
}

inline const Node& node_named(const Graph& g, const std::string& name) {
  for (const Node& n : g.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

// ||W − W_R||_F / ||W||_F for the 3-D conv `conv` of `original`, W_R[o,i,t,h,w] = Σ_r T[o,r,t,0]·S[r,i,h,w]
// from the weights of "<conv>/temporal" and "<conv>/spatial" in `converted`.
inline double measured_error(const Graph& original, const Graph& converted, const std::string& conv) {
  const Tensor& w = original.initializers.at(node_named(original, conv).inputs[1]);
  const Tensor& s = converted.initializers.at(node_named(converted, conv + "/spatial").inputs[1]);
  const Tensor& t = converted.initializers.at(node_named(converted, conv + "/temporal").inputs[1]);
  const int64_t co = w.dim(0), ci = w.dim(1), kt = w.dim(2), area = w.dim(3) * w.dim(4), rank = s.dim(0);
  const auto wv = w.values<float>(), sv = s.values<float>(), tv = t.values<float>();
  double diff = 0, norm = 0;
  for (int64_t o = 0; o < co; ++o)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t k = 0; k < kt; ++k)
        for (int64_t a = 0; a < area; ++a) {
          double approx = 0;
          for (int64_t r = 0; r < rank; ++r)
            approx += static_cast<double>(tv[(o * rank + r) * kt + k]) * sv[(r * ci + i) * area + a];
          const double exact = wv[((o * ci + i) * kt + k) * area + a];
          diff += (exact - approx) * (exact - approx);
          norm += exact * exact;
        }
  return std::sqrt(diff / norm);
}

}  // namespace stride::testing
