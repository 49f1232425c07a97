// Models of opsets 1 to 6 and opset-14 batch-first LSTMs are read into the IR's opset-13 form;
// the converted models compute what the ONNX changelog says the originals computed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "onnx/onnx_builders.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/onnx/onnx_import.h"

namespace stride {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

Graph import(const onnx::ModelProto& m) { return parse_onnx(testing::bytes_of(m), "legacy.onnx"); }

TensorMap run_ref(const Graph& g, const TensorMap& inputs) { return RefBackend().compile(g, {})->run(inputs); }

onnx::NodeProto& node_of(onnx::ModelProto& m, int i = 0) { return *m.mutable_graph()->mutable_node(i); }

// a [2,3] op b [2] with opset-6 broadcast=1 axis=0: b runs along a's first dim.
TEST(OnnxLegacyOpset, BroadcastFromAnAxisAlignsBWithThatAxis) {
  onnx::ModelProto m = testing::make_model(6);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "a", {2, 3});
  testing::add_input(g, "b", {2});
  testing::add_output(g, "y", {});
  auto& add = testing::add_node(g, "Sub", {"a", "b"}, {"y"}, "sub");
  testing::set_int(add, "broadcast", 1);
  testing::set_int(add, "axis", 0);
  const Graph imported = import(m);
  for (const Node& n : imported.nodes) EXPECT_FALSE(n.attrs.has("broadcast") || n.attrs.has("axis")) << n.name;
  const TensorMap out = run_ref(imported, {{"a", Tensor::from_vector<float>({2, 3}, {1, 2, 3, 4, 5, 6})},
                                           {"b", Tensor::from_vector<float>({2}, {10, 20})}});
  EXPECT_EQ(out.at("y"), Tensor::from_vector<float>({2, 3}, {-9, -8, -7, -16, -15, -14}));

  // B cannot start at an axis where it would run past A's last dim.
  add.mutable_attribute(1)->set_i(2);
  EXPECT_THAT([&] { import(m); }, ThrowsMessage<Error>(AllOf(HasSubstr("'sub' (Sub)"), HasSubstr("from axis 2"))));
}

TEST(OnnxLegacyOpset, BroadcastWithoutAnAxisAndConsumedInputsChangeNothing) {
  onnx::ModelProto m = testing::make_model(1);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "a", {2, 3});
  testing::add_initializer(g, testing::raw_float_tensor("b", {3}, {1, 2, 3}));
  testing::add_output(g, "y", {});
  auto& mul = testing::add_node(g, "Mul", {"a", "b"}, {"y"}, "mul");
  testing::set_int(mul, "broadcast", 1);
  testing::set_ints(mul, "consumed_inputs", {0, 0});
  const Graph imported = import(m);
  EXPECT_TRUE(imported.nodes.at(0).attrs.all().empty());
  const TensorMap out = run_ref(imported, {{"a", Tensor::from_vector<float>({2, 3}, {1, 1, 1, 2, 2, 2})}});
  EXPECT_EQ(out.at("y"), Tensor::from_vector<float>({2, 3}, {1, 2, 3, 2, 4, 6}));
}

TEST(OnnxLegacyOpset, ReshapeShapeAttributeBecomesAnInputBeforeOpset5) {
  onnx::ModelProto m = testing::make_model(4);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {2, 3});
  testing::add_output(g, "y", {});
  testing::set_ints(testing::add_node(g, "Reshape", {"x"}, {"y"}, "reshape"), "shape", {3, -1});
  const Graph imported = import(m);
  const Node& n = imported.nodes.at(0);
  EXPECT_FALSE(n.attrs.has("shape"));
  EXPECT_EQ(imported.initializers.at(n.inputs.at(1)), Tensor::from_vector<int64_t>({2}, {3, -1}));
}

TEST(OnnxLegacyOpset, ConcatAxisDefaultsTo1BeforeOpset4) {
  onnx::ModelProto m = testing::make_model(3);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "a", {1, 2});
  testing::add_input(g, "b", {1, 1});
  testing::add_output(g, "y", {});
  testing::add_node(g, "Concat", {"a", "b"}, {"y"}, "concat");
  const TensorMap out = run_ref(
      import(m), {{"a", Tensor::from_vector<float>({1, 2}, {1, 2})}, {"b", Tensor::from_vector<float>({1, 1}, {3})}});
  EXPECT_EQ(out.at("y"), Tensor::from_vector<float>({1, 3}, {1, 2, 3}));
}

TEST(OnnxLegacyOpset, ReduceSumAxesAttributeBecomesAnInputBeforeOpset13) {
  onnx::ModelProto m = testing::make_model(11);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {2, 2});
  testing::add_output(g, "y", {});
  testing::set_ints(testing::add_node(g, "ReduceSum", {"x"}, {"y"}, "sum"), "axes", {0});
  const Graph imported = import(m);
  EXPECT_EQ(imported.initializers.at(imported.nodes.at(0).inputs.at(1)), Tensor::from_vector<int64_t>({1}, {0}));
  const TensorMap out = run_ref(imported, {{"x", Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4})}});
  EXPECT_EQ(out.at("y"), Tensor::from_vector<float>({1, 2}, {4, 6}));
}

// x [1,2] -> opset-6 BatchNormalization over 2 channels with mean 1, var 4 (scale 1, bias 0).
onnx::ModelProto batchnorm_model(int64_t opset) {
  onnx::ModelProto m = testing::make_model(opset);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {1, 2});
  testing::add_output(g, "y", {});
  testing::add_initializer(g, testing::raw_float_tensor("s", {2}, {1, 1}));
  testing::add_initializer(g, testing::raw_float_tensor("b", {2}, {0, 0}));
  testing::add_initializer(g, testing::raw_float_tensor("m", {2}, {1, 1}));
  testing::add_initializer(g, testing::raw_float_tensor("v", {2}, {4, 4}));
  testing::add_node(g, "BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"}, "bn");
  return m;
}

TEST(OnnxLegacyOpset, BatchNormalizationIsReadInTestModeOnly) {
  onnx::ModelProto m = batchnorm_model(6);
  testing::set_int(node_of(m), "is_test", 1);
  testing::set_float(node_of(m), "epsilon", 0.0f);
  const Graph imported = import(m);
  EXPECT_FALSE(imported.nodes.at(0).attrs.has("is_test"));
  const TensorMap out = run_ref(imported, {{"x", Tensor::from_vector<float>({1, 2}, {3, 5})}});
  EXPECT_EQ(out.at("y"), Tensor::from_vector<float>({1, 2}, {1, 2}));

  // is_test defaults to 0 (training) before opset 7, so leaving it out is refused too.
  onnx::ModelProto training = batchnorm_model(6);
  EXPECT_THAT([&] { import(training); },
              ThrowsMessage<Error>(AllOf(HasSubstr("'bn' (BatchNormalization)"),
                                         HasSubstr("'is_test' is 0 (its default)"), HasSubstr("training mode"))));
  testing::set_int(node_of(m), "spatial", 0);
  EXPECT_THAT([&] { import(m); }, ThrowsMessage<Error>(AllOf(HasSubstr("'spatial' is 0"), HasSubstr("per element"))));
}

TEST(OnnxLegacyOpset, IgnoredAttributesAreDropped) {
  onnx::ModelProto m = testing::make_model(6);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "a", {2, 2});
  testing::add_initializer(g, testing::raw_float_tensor("w", {2, 2}, {1, 0, 0, 1}));
  testing::add_initializer(g, testing::raw_float_tensor("c", {2}, {1, 1}));
  testing::add_output(g, "y", {});
  testing::set_int(testing::add_node(g, "Gemm", {"a", "w", "c"}, {"h"}, "gemm"), "broadcast", 1);
  testing::set_int(testing::add_node(g, "Dropout", {"h"}, {"y"}, "dropout"), "is_test", 0);
  const Graph imported = import(m);
  for (const Node& n : imported.nodes) EXPECT_TRUE(n.attrs.all().empty()) << n.name;
  const TensorMap out = run_ref(imported, {{"a", Tensor::from_vector<float>({2, 2}, {1, 2, 3, 4})}});
  EXPECT_EQ(out.at("y"), Tensor::from_vector<float>({2, 2}, {2, 3, 4, 5}));
}

// One LSTM step over x [batch=2, seq=1, input=1] with every weight 1 except a zero recurrence, in
// batch-first layout; the same step in sequence-first layout gives the oracle.
onnx::ModelProto lstm_model(int64_t layout, const std::vector<testing::Dim>& x_dims) {
  onnx::ModelProto m = testing::make_model(14);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", x_dims);
  testing::add_initializer(g, testing::raw_float_tensor("w", {1, 4, 1}, {1, 1, 1, 1}));
  testing::add_initializer(g, testing::raw_float_tensor("r", {1, 4, 1}, {0, 0, 0, 0}));
  testing::add_output(g, "y", {});
  testing::add_output(g, "y_h", {});
  auto& lstm = testing::add_node(g, "LSTM", {"x", "w", "r"}, {"y", "y_h"}, "lstm");
  testing::set_int(lstm, "hidden_size", 1);
  testing::set_int(lstm, "layout", layout);
  return m;
}

TEST(OnnxLegacyOpset, BatchFirstLstmRunsBetweenTransposes) {
  const Graph batch_first = import(lstm_model(1, {2, 1, 1}));
  EXPECT_EQ(batch_first.nodes.size(), 4u) << "a Transpose for x, y and y_h";
  const TensorMap out = run_ref(batch_first, {{"x", Tensor::from_vector<float>({2, 1, 1}, {0.5f, -1.0f})}});
  const TensorMap oracle =
      run_ref(import(lstm_model(0, {1, 2, 1})), {{"x", Tensor::from_vector<float>({1, 2, 1}, {0.5f, -1.0f})}});
  EXPECT_EQ(out.at("y").shape(), (Shape{2, 1, 1, 1}));  // [batch, seq, directions, hidden]
  EXPECT_EQ(out.at("y").reshaped({2}), oracle.at("y").reshaped({2}));
  EXPECT_EQ(out.at("y_h").reshaped({2}), oracle.at("y_h").reshaped({2}));
  EXPECT_THAT([] { import(lstm_model(2, {2, 1, 1})); }, ThrowsMessage<Error>(HasSubstr("'lstm' (LSTM): layout")));
}

}  // namespace
}  // namespace stride
