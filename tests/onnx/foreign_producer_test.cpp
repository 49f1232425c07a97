// Models laid out the way tf2onnx and torch.onnx write them (names, constants, symbolic dims,
// opset habits), built here with the protobuf API, imported, run on the ref backend and compared
// with the same layers computed by plain loops.
#include <gtest/gtest.h>
#include <onnx/checker.h>

#include "onnx/onnx_builders.h"
#include "onnx/plain_math.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"

namespace stride {
namespace {

using testing::Array;
using testing::seeded_values;

int64_t count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

Array random_array(std::vector<int64_t> dims, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  return {dims, seeded_values(static_cast<size_t>(count(dims)), seed, lo, hi)};
}

Array flattened(Array a) {
  a.shape = {a.shape[0], count(a.shape) / a.shape[0]};
  return a;
}

Tensor run_single_output(const Graph& graph, const std::string& input, const Array& x) {
  const auto plan = RefBackend().compile(graph, {});
  TensorMap out = plan->run({{input, Tensor::from_vector<float>(x.shape, x.data)}});
  EXPECT_EQ(out.size(), 1u);
  return out.begin()->second;
}

void expect_close(const Tensor& actual, const Array& expected) {
  ASSERT_EQ(actual.shape(), Shape(expected.shape.begin(), expected.shape.end()));
  const auto values = actual.values<float>();
  for (size_t i = 0; i < expected.data.size(); ++i)
    EXPECT_NEAR(values[i], expected.data[i], 1e-5f * (1.0f + std::abs(expected.data[i]))) << "element " << i;
}

// The import must also be exportable as valid opset-13 ONNX and read back unchanged.
void expect_reexport_is_valid(const Graph& graph) {
  const std::string bytes = serialize_onnx(graph);
  onnx::ModelProto model;
  ASSERT_TRUE(model.ParseFromString(bytes));
  EXPECT_NO_THROW(onnx::checker::check_model(model));
  EXPECT_EQ(parse_onnx(bytes, "reexported.onnx"), graph);
}

// tf2onnx: an NHWC Keras model. The converter wraps the convolution in Transposes, folds the
// flatten's shape into a Constant node, and names everything after TensorFlow's ops (with ":0").
TEST(ForeignProducer, Tf2onnxStyleNhwcClassifier) {
  const Array conv_w = random_array({3, 2, 3, 3}, 1), dense_w = random_array({4, 108}, 3, -0.2f, 0.2f);
  const std::vector<float> conv_b = seeded_values(3, 2), dense_b = seeded_values(4, 4);

  onnx::ModelProto m = testing::make_model(13, "tf2onnx");
  auto& g = *m.mutable_graph();
  g.set_name("tf2onnx");
  testing::add_input(g, "input_1:0", {"unk__6", 6, 6, 2});
  testing::add_output(g, "dense", {"unk__7", 4});
  testing::add_initializer(
      g, testing::raw_float_tensor("model/conv2d/Conv2D/ReadVariableOp:0", conv_w.shape, conv_w.data));
  testing::add_initializer(g, testing::raw_float_tensor("model/conv2d/BiasAdd/ReadVariableOp:0", {3}, conv_b));
  testing::add_initializer(
      g, testing::raw_float_tensor("model/dense/MatMul/ReadVariableOp:0", dense_w.shape, dense_w.data));
  testing::add_initializer(g, testing::raw_float_tensor("model/dense/BiasAdd/ReadVariableOp:0", {4}, dense_b));
  testing::set_ints(
      testing::add_node(g, "Transpose", {"input_1:0"}, {"model/conv2d/Conv2D__6:0"}, "model/conv2d/Conv2D__6"), "perm",
      {0, 3, 1, 2});
  auto& conv = testing::add_node(
      g, "Conv",
      {"model/conv2d/Conv2D__6:0", "model/conv2d/Conv2D/ReadVariableOp:0", "model/conv2d/BiasAdd/ReadVariableOp:0"},
      {"model/conv2d/BiasAdd:0"}, "model/conv2d/Conv2D");
  testing::set_ints(conv, "dilations", {1, 1});
  testing::set_ints(conv, "strides", {1, 1});
  testing::set_ints(conv, "kernel_shape", {3, 3});
  testing::set_ints(conv, "pads", {1, 1, 1, 1});
  testing::set_int(conv, "group", 1);
  testing::add_node(g, "Relu", {"model/conv2d/BiasAdd:0"}, {"model/conv2d/Relu:0"}, "model/conv2d/Relu");
  testing::set_ints(
      testing::add_node(g, "Transpose", {"model/conv2d/Relu:0"}, {"model/conv2d/Relu__8:0"}, "model/conv2d/Relu__8"),
      "perm", {0, 2, 3, 1});
  testing::set_tensor(testing::add_node(g, "Constant", {}, {"const_fold_opt__12:0"}, "const_fold_opt__12"), "value",
                      testing::raw_int64_tensor("const_fold_opt__12:0", {2}, {-1, 108}));
  testing::add_node(g, "Reshape", {"model/conv2d/Relu__8:0", "const_fold_opt__12:0"}, {"model/flatten/Reshape:0"},
                    "model/flatten/Reshape");
  auto& gemm = testing::add_node(
      g, "Gemm",
      {"model/flatten/Reshape:0", "model/dense/MatMul/ReadVariableOp:0", "model/dense/BiasAdd/ReadVariableOp:0"},
      {"model/dense/BiasAdd:0"}, "model/dense/MatMul");
  testing::set_float(gemm, "alpha", 1.0f);
  testing::set_float(gemm, "beta", 1.0f);
  testing::set_int(gemm, "transB", 1);
  testing::set_int(testing::add_node(g, "Softmax", {"model/dense/BiasAdd:0"}, {"dense"}, "model/dense/Softmax"), "axis",
                   -1);

  const Graph graph = parse_onnx(testing::bytes_of(m), "tf2onnx.onnx");
  EXPECT_EQ(graph.inputs.at(0).shape, (Shape{-1, 6, 6, 2}));

  const Array x = random_array({2, 6, 6, 2}, 5);
  Array features = testing::transpose4(
      testing::relu(testing::conv2d(testing::transpose4(x, {0, 3, 1, 2}), conv_w, conv_b, 1, 1)), {0, 2, 3, 1});
  const Array expected = testing::softmax_rows(testing::gemm_transposed_b(flattened(features), dense_w, dense_b));
  expect_close(run_single_output(graph, "input_1:0", x), expected);
  expect_reexport_is_valid(graph);
}

// torch.onnx: NCHW, a "batch_size" symbolic dim, weights named after module paths, unnamed and
// "Op_N"-named nodes, Unsqueeze/Squeeze axes as inputs (one from an initializer, one from a
// Constant node), an Identity, and one weight also listed as a graph input (keep_initializers_as_inputs).
TEST(ForeignProducer, TorchOnnxStyleConvBnPoolClassifier) {
  const Array conv_w = random_array({4, 1, 3, 3}, 11), fc_w = random_array({3, 64}, 17, -0.3f, 0.3f);
  const std::vector<float> conv_b = seeded_values(4, 12), bn_scale = seeded_values(4, 13, 0.5f, 1.5f),
                           bn_bias = seeded_values(4, 14), bn_mean = seeded_values(4, 15, -0.2f, 0.2f),
                           bn_var = seeded_values(4, 16, 0.5f, 2.0f), fc_b = seeded_values(3, 18);

  onnx::ModelProto m = testing::make_model(13, "pytorch");
  m.set_producer_version("1.13.1");
  auto& g = *m.mutable_graph();
  g.set_name("torch_jit");
  testing::add_input(g, "input", {"batch_size", 1, 8, 8});
  testing::add_input(g, "conv1.weight", {4, 1, 3, 3});
  testing::add_output(g, "output", {"batch_size", 3});
  testing::add_initializer(g, testing::raw_float_tensor("conv1.weight", conv_w.shape, conv_w.data));
  testing::add_initializer(g, testing::raw_float_tensor("conv1.bias", {4}, conv_b));
  testing::add_initializer(g, testing::raw_float_tensor("bn1.weight", {4}, bn_scale));
  testing::add_initializer(g, testing::raw_float_tensor("bn1.bias", {4}, bn_bias));
  testing::add_initializer(g, testing::raw_float_tensor("bn1.running_mean", {4}, bn_mean));
  testing::add_initializer(g, testing::raw_float_tensor("bn1.running_var", {4}, bn_var));
  testing::add_initializer(g, testing::raw_float_tensor("fc.weight", fc_w.shape, fc_w.data));
  testing::add_initializer(g, testing::raw_float_tensor("fc.bias", {3}, fc_b));
  testing::add_initializer(g, testing::raw_int64_tensor("onnx::Unsqueeze_11", {1}, {1}));

  auto& conv = testing::add_node(g, "Conv", {"input", "conv1.weight", "conv1.bias"}, {"input.4"}, "Conv_0");
  testing::set_ints(conv, "dilations", {1, 1});
  testing::set_int(conv, "group", 1);
  testing::set_ints(conv, "kernel_shape", {3, 3});
  testing::set_ints(conv, "pads", {1, 1, 1, 1});
  testing::set_ints(conv, "strides", {1, 1});
  auto& bn = testing::add_node(g, "BatchNormalization",
                               {"input.4", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"},
                               {"input.8"}, "BatchNormalization_1");
  testing::set_float(bn, "epsilon", 1e-5f);
  testing::set_float(bn, "momentum", 0.9f);
  testing::add_node(g, "Relu", {"input.8"}, {"onnx::MaxPool_9"});
  auto& pool = testing::add_node(g, "MaxPool", {"onnx::MaxPool_9"}, {"onnx::Unsqueeze_10"}, "MaxPool_3");
  testing::set_int(pool, "ceil_mode", 0);
  testing::set_ints(pool, "kernel_shape", {2, 2});
  testing::set_ints(pool, "pads", {0, 0, 0, 0});
  testing::set_ints(pool, "strides", {2, 2});
  testing::add_node(g, "Unsqueeze", {"onnx::Unsqueeze_10", "onnx::Unsqueeze_11"}, {"onnx::Squeeze_12"}, "Unsqueeze_4");
  testing::set_tensor(testing::add_node(g, "Constant", {}, {"onnx::Squeeze_13"}, "Constant_5"), "value",
                      testing::raw_int64_tensor("", {1}, {1}));
  testing::add_node(g, "Squeeze", {"onnx::Squeeze_12", "onnx::Squeeze_13"}, {"onnx::Identity_14"}, "Squeeze_6");
  testing::add_node(g, "Identity", {"onnx::Identity_14"}, {"onnx::Flatten_15"}, "Identity_7");
  testing::set_int(testing::add_node(g, "Flatten", {"onnx::Flatten_15"}, {"onnx::Gemm_16"}, "Flatten_8"), "axis", 1);
  auto& fc = testing::add_node(g, "Gemm", {"onnx::Gemm_16", "fc.weight", "fc.bias"}, {"output"}, "Gemm_9");
  testing::set_float(fc, "alpha", 1.0f);
  testing::set_float(fc, "beta", 1.0f);
  testing::set_int(fc, "transB", 1);

  const Graph graph = parse_onnx(testing::bytes_of(m), "torch.onnx");
  ASSERT_EQ(graph.inputs.size(), 1u) << "conv1.weight is a weight, not a run-time input";
  EXPECT_EQ(graph.inputs[0].shape, (Shape{-1, 1, 8, 8}));
  EXPECT_EQ(graph.nodes.at(2).name, "Relu_2");

  const Array x = random_array({2, 1, 8, 8}, 19);
  const Array features =
      testing::max_pool2d(testing::relu(testing::batch_norm(testing::conv2d(x, conv_w, conv_b, 1, 1), bn_scale, bn_bias,
                                                            bn_mean, bn_var, 1e-5f)),
                          2, 2);
  const Array expected = testing::gemm_transposed_b(flattened(features), fc_w, fc_b);
  expect_close(run_single_output(graph, "input", x), expected);
  expect_reexport_is_valid(graph);
}

// An opset-11 export: Unsqueeze/Squeeze axes and Dropout's ratio are attributes, Clip's min/max
// are inputs, and Softmax relies on the old default axis.
TEST(ForeignProducer, Opset11StyleAttributesAndClipInputs) {
  const Array w = random_array({3, 6}, 21);
  const std::vector<float> b = seeded_values(3, 22);

  onnx::ModelProto m = testing::make_model(11, "exporter");
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {"N", 6});
  testing::add_output(g, "probabilities", {"N", 3});
  testing::add_initializer(g, testing::raw_float_tensor("clip_min", {}, {-0.5f}));
  testing::add_initializer(g, testing::raw_float_tensor("clip_max", {}, {0.4f}));
  testing::add_initializer(g, testing::raw_float_tensor("w", w.shape, w.data));
  testing::add_initializer(g, testing::raw_float_tensor("b", {3}, b));
  testing::set_ints(testing::add_node(g, "Unsqueeze", {"x"}, {"x3"}, "unsqueeze"), "axes", {1});
  testing::add_node(g, "Clip", {"x3", "clip_min", "clip_max"}, {"clipped"}, "clip");
  testing::set_ints(testing::add_node(g, "Squeeze", {"clipped"}, {"x2"}, "squeeze"), "axes", {1});
  testing::set_float(testing::add_node(g, "Dropout", {"x2"}, {"kept"}, "dropout"), "ratio", 0.3f);
  auto& gemm = testing::add_node(g, "Gemm", {"kept", "w", "b"}, {"logits"}, "gemm");
  testing::set_int(gemm, "transB", 1);
  testing::add_node(g, "Softmax", {"logits"}, {"probabilities"}, "softmax");

  const Graph graph = parse_onnx(testing::bytes_of(m), "opset11.onnx");
  const Array x = random_array({3, 6}, 23);
  const Array expected = testing::softmax_rows(testing::gemm_transposed_b(testing::clip(x, -0.5f, 0.4f), w, b));
  expect_close(run_single_output(graph, "x", x), expected);
  expect_reexport_is_valid(graph);
}

}  // namespace
}  // namespace stride
