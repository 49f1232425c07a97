#include "stride/engine/torch/torch_backend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "stride/core/random.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/zoo/zoo.h"
#include "tensor_compare.h"

namespace stride {
namespace {

using testing::close_to;

Tensor random_tensor(Shape shape, uint64_t seed, float lo = -1, float hi = 1) {
  Tensor t(DType::f32, std::move(shape));
  Random rng(seed);
  for (float& v : t.values<float>()) v = lo + (hi - lo) * rng.uniform();
  return t;
}

TensorMap run(const Backend& backend, const Graph& g, const TensorMap& inputs) {
  CompileOptions options;
  options.threads = 2;
  for (const auto& [name, t] : inputs) options.input_shapes[name] = t.shape();
  return backend.compile(g, options)->run(inputs);
}

void expect_torch_matches_ref(const Graph& g, const TensorMap& inputs, double tolerance = 1e-5) {
  const TensorMap expected = run(RefBackend(), g, inputs);
  const TensorMap actual = run(TorchBackend(), g, inputs);
  for (const auto& [name, t] : expected) EXPECT_TRUE(close_to(actual.at(name), t, tolerance)) << name;
}

// x [1,3,9,8] -> Conv 4x3x4x4 SAME_UPPER stride 2 (asymmetric pads) -> Relu -> MaxPool 3 ceil_mode
// -> AveragePool 2 pads 1 count_include_pad -> Flatten -> Gemm transB
Graph conv_pool_gemm_graph() {
  Graph g;
  g.name = "conv_pool_gemm";
  g.inputs = {{"x", DType::f32, {-1, 3, 9, 8}}};
  g.outputs = {{"y", DType::f32, {-1, 5}}};
  g.initializers["w"] = random_tensor({4, 3, 4, 4}, 1);
  g.initializers["b"] = random_tensor({4}, 2);
  Node conv{"conv", "Conv", {"x", "w", "b"}, {"c"}, {}};
  conv.attrs.set("auto_pad", std::string("SAME_UPPER"));
  conv.attrs.set("strides", std::vector<int64_t>{2, 2});
  Node pool{"pool", "MaxPool", {"r"}, {"p"}, {}};
  pool.attrs.set("kernel_shape", std::vector<int64_t>{3, 3});
  pool.attrs.set("strides", std::vector<int64_t>{2, 2});
  pool.attrs.set("ceil_mode", int64_t{1});
  Node avg{"avg", "AveragePool", {"p"}, {"a"}, {}};
  avg.attrs.set("kernel_shape", std::vector<int64_t>{2, 2});
  avg.attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  avg.attrs.set("count_include_pad", int64_t{1});
  Node gemm{"fc", "Gemm", {"f", "fc_w", "fc_b"}, {"y"}, {}};
  gemm.attrs.set("transB", int64_t{1});
  g.nodes = {conv, {"relu", "Relu", {"c"}, {"r"}, {}}, pool, avg, {"flat", "Flatten", {"a"}, {"f"}, {}}, gemm};
  // conv: 9x8 -> 5x4; pool (ceil): 2x2; avg (pads 1, stride 1): 3x3 -> flatten 4*3*3 = 36
  g.initializers["fc_w"] = random_tensor({5, 36}, 3);
  g.initializers["fc_b"] = random_tensor({5}, 4);
  return g;
}

TEST(TorchBackend, MatchesRefOnConvPoolGemm) {
  expect_torch_matches_ref(conv_pool_gemm_graph(), {{"x", random_tensor({2, 3, 9, 8}, 5)}});
}

TEST(TorchBackend, QuantizeDequantizeRoundsHalfToEvenLikeRef) {
  Graph g;
  g.inputs = {{"x", DType::f32, {6}}};
  g.outputs = {{"y", DType::f32, {6}}};
  g.initializers["scale"] = Tensor::scalar(0.5f);
  g.initializers["zp"] = Tensor::from_vector<int8_t>({}, {3});
  g.nodes = {{"q", "QuantizeLinear", {"x", "scale", "zp"}, {"q"}, {}},
             {"dq", "DequantizeLinear", {"q", "scale", "zp"}, {"y"}, {}}};
  const Tensor x = Tensor::from_vector<float>({6}, {0.25f, 0.75f, -0.25f, 100.0f, -100.0f, 1.0f});
  const TensorMap out = run(TorchBackend(), g, {{"x", x}});
  // x/0.5 = 0.5, 1.5, -0.5 round to even: 0, 2, -0 (+3 zero point) ; 200 saturates at 127, -200 at -128
  const auto y = out.at("y").values<float>();
  EXPECT_EQ(std::vector<float>(y.begin(), y.end()), (std::vector<float>{0.0f, 1.0f, 0.0f, 62.0f, -65.5f, 1.0f}));
  expect_torch_matches_ref(g, {{"x", x}});
}

// LibTorch allocates its own tensors: the memory budget is checked before the first run, so a graph
// whose activations double 40 times is refused instead of asking LibTorch for terabytes.
TEST(TorchBackend, RefusesARunThatOutgrowsTheMemoryLimit) {
  Graph g;
  g.name = "doubling";
  g.inputs.push_back({"x", DType::f32, {1, 1024}});
  std::string x = "x";
  for (int i = 0; i < 40; ++i) {
    const std::string y = "c" + std::to_string(i);
    Attributes axis;
    axis.set("axis", int64_t{1});
    g.nodes.push_back({y, "Concat", {x, x}, {y}, axis});
    x = y;
  }
  g.outputs.push_back({x, DType::f32, {1, int64_t{1024} << 40}});
  auto plan = TorchBackend().compile(g, {});
  try {
    plan->run({{"x", Tensor(DType::f32, {1, 1024})}});
    FAIL() << "ran";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("running 'doubling' on torch"), std::string::npos) << e.what();
  }
}

TEST(TorchBackend, UnsupportedOpIsNamedAtCompile) {
  Graph g;
  g.inputs = {{"x", DType::f32, {1, 4, 3}}};
  g.outputs = {{"y", DType::u8, {1, 4, 3}}};
  g.nodes = {{"my_quantize", "DynamicQuantizeLinear", {"x"}, {"y", "scale", "zero_point"}, {}}};
  try {
    TorchBackend().compile(g, {});
    FAIL() << "compiled a graph with an op the backend lacks";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("DynamicQuantizeLinear"), std::string::npos) << msg;
    EXPECT_NE(msg.find("my_quantize"), std::string::npos) << msg;
  }
}

class TorchZoo : public ::testing::TestWithParam<std::tuple<std::string, int64_t>> {};

TEST_P(TorchZoo, MatchesRef) {
  const auto& [name, batch] = GetParam();
  ZooOptions options;
  options.width_mult = 0.25;
  options.seed = 7;
  const Graph g = build_model(name, options);
  Shape shape = g.inputs[0].shape;
  shape[0] = batch;
  expect_torch_matches_ref(g, {{g.inputs[0].name, random_tensor(shape, 11, 0, 1)}}, 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Zoo, TorchZoo,
                         ::testing::Combine(::testing::Values("cnn2d", "cnn3d", "cnn3dto2d", "gaitset", "yowo-lite"),
                                            ::testing::Values(int64_t{1}, int64_t{8})),
                         [](const auto& info) {
                           std::string name = std::get<0>(info.param);
                           std::replace(name.begin(), name.end(), '-', '_');  // test names are identifiers
                           return name + "_batch" + std::to_string(std::get<1>(info.param));
                         });

// Stride's NaN rule is ONNX's: NaN propagates as IEEE arithmetic says. One NaN pixel reaches every
// output of cnn2d through its dense layers, on torch as on ref (ref's max pooling used to drop it
// and stay finite); the onednn engine, whose max and ReLU kernels would drop it, refuses the input.
TEST(NanRule, OneNanPixelPropagatesAlikeOnEveryBackend) {
  ZooOptions o;
  o.width_mult = 0.25;
  o.classes = 5;
  const Graph g = build_model("cnn2d", o);
  Shape shape = g.inputs[0].shape;
  shape[0] = 1;
  for (bool all : {false, true}) {
    Tensor x = random_tensor(shape, 3, 0, 1);
    auto v = x.values<float>();
    for (size_t i = all ? 0 : v.size() / 2; i <= (all ? v.size() - 1 : v.size() / 2); ++i)
      v[i] = std::numeric_limits<float>::quiet_NaN();
    const TensorMap inputs{{g.inputs[0].name, x}};
    const TensorMap on_ref = run(RefBackend(), g, inputs), on_torch = run(TorchBackend(), g, inputs);
    for (const auto& [name, t] : on_ref) {
      for (float y : t.values<float>()) EXPECT_TRUE(std::isnan(y)) << name << (all ? " all NaN" : " one NaN");
      for (float y : on_torch.at(name).values<float>()) EXPECT_TRUE(std::isnan(y)) << name;
    }
    try {
      run(OnednnBackend(), g, inputs);
      ADD_FAILURE() << "onednn ran an input holding NaN";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("holds nan at index"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace stride
