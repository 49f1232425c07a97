// Models of other opsets are read into the IR's opset-13 form; opsets and domains Stride cannot
// read are refused by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "onnx/onnx_builders.h"
#include "stride/onnx/onnx_import.h"

namespace stride {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// x [N,4] -> op -> y, for one node under test.
onnx::ModelProto one_node_model(int64_t opset, const std::string& op, std::vector<std::string> inputs = {"x"}) {
  onnx::ModelProto m = testing::make_model(opset);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {"N", 4});
  testing::add_output(g, "y", {});
  testing::add_node(g, op, inputs, {"y"}, "node");
  return m;
}

onnx::NodeProto& node_of(onnx::ModelProto& m) { return *m.mutable_graph()->mutable_node(0); }

Graph import(const onnx::ModelProto& m) { return parse_onnx(testing::bytes_of(m), "opset.onnx"); }

TEST(OnnxOpset, OpsetsOutsideTheReadRangeAreRefused) {
  EXPECT_THAT([] { import(one_node_model(0, "Relu")); },
              ThrowsMessage<Error>(AllOf(HasSubstr("opset.onnx"), HasSubstr("opset 0"), HasSubstr("1 to 18"))));
  EXPECT_THAT([] { import(one_node_model(19, "Relu")); }, ThrowsMessage<Error>(HasSubstr("opset 19")));
  onnx::ModelProto none = one_node_model(13, "Relu");
  none.mutable_opset_import(0)->set_domain("com.example");
  EXPECT_THAT([&] { import(none); }, ThrowsMessage<Error>(HasSubstr("no opset of the default ONNX domain")));
}

TEST(OnnxOpset, AiOnnxIsTheDefaultDomainAndUnusedForeignOpsetsAreTolerated) {
  onnx::ModelProto m = one_node_model(13, "Relu");
  m.mutable_opset_import(0)->set_domain("ai.onnx");
  node_of(m).set_domain("ai.onnx");
  auto* ml = m.add_opset_import();
  ml->set_domain("ai.onnx.ml");
  ml->set_version(2);
  EXPECT_EQ(import(m).nodes.at(0).op_type, "Relu");
}

TEST(OnnxOpset, NodesOfOtherDomainsAreListedTogether) {
  onnx::ModelProto m = one_node_model(13, "Relu");
  auto& g = *m.mutable_graph();
  testing::add_node(g, "FusedConv", {"y"}, {"a"}, "fused").set_domain("com.microsoft");
  testing::add_node(g, "Gelu", {"a"}, {"b"}, "gelu").set_domain("com.microsoft");
  testing::add_node(g, "MyOp", {"b"}, {"c"}).set_domain("org.custom");
  EXPECT_THAT([&] { import(m); }, ThrowsMessage<Error>(AllOf(HasSubstr("com.microsoft (used by 'fused', 'gelu')"),
                                                             HasSubstr("org.custom (used by 'MyOp #3')"))));
}

TEST(OnnxOpset, SqueezeAndUnsqueezeAxesAttributesBecomeInputsBeforeOpset13) {
  onnx::ModelProto m = one_node_model(11, "Unsqueeze");
  testing::set_ints(node_of(m), "axes", {1, 3});
  const Graph g = import(m);
  const Node& n = g.nodes.at(0);
  EXPECT_FALSE(n.attrs.has("axes"));
  ASSERT_EQ(n.inputs.size(), 2u);
  EXPECT_EQ(n.inputs[0], "x");
  EXPECT_EQ(g.initializers.at(n.inputs[1]), Tensor::from_vector<int64_t>({2}, {1, 3}));

  onnx::ModelProto squeeze = one_node_model(12, "Squeeze");
  testing::set_ints(node_of(squeeze), "axes", {0});
  const Graph s = import(squeeze);
  EXPECT_EQ(s.initializers.at(s.nodes.at(0).inputs.at(1)), Tensor::from_vector<int64_t>({1}, {0}));
}

TEST(OnnxOpset, GeneratedInitializerNamesDoNotCollide) {
  onnx::ModelProto m = one_node_model(11, "Squeeze");
  testing::set_ints(node_of(m), "axes", {0});
  testing::add_initializer(*m.mutable_graph(), testing::raw_float_tensor("node_axes", {1}, {5.0f}));
  testing::add_node(*m.mutable_graph(), "Add", {"y", "node_axes"}, {"z"}, "uses_it");
  const Graph g = import(m);
  EXPECT_EQ(g.nodes.at(0).inputs.at(1), "node_axes_1");
  EXPECT_EQ(g.initializers.at("node_axes"), Tensor::from_vector<float>({1}, {5.0f}));
}

TEST(OnnxOpset, ClipMinMaxAttributesBecomeInputsBeforeOpset11) {
  onnx::ModelProto both = one_node_model(9, "Clip");
  testing::set_float(node_of(both), "min", -1.0f);
  testing::set_float(node_of(both), "max", 6.0f);
  const Graph g = import(both);
  const Node& n = g.nodes.at(0);
  EXPECT_TRUE(n.attrs.all().empty());
  ASSERT_EQ(n.inputs.size(), 3u);
  EXPECT_EQ(g.initializers.at(n.inputs[1]), Tensor::scalar(-1.0f));
  EXPECT_EQ(g.initializers.at(n.inputs[2]), Tensor::scalar(6.0f));

  onnx::ModelProto max_only = one_node_model(9, "Clip");
  testing::set_float(node_of(max_only), "max", 6.0f);
  const Graph h = import(max_only);
  ASSERT_EQ(h.nodes.at(0).inputs.size(), 3u);
  EXPECT_EQ(h.nodes.at(0).inputs[1], "");  // min stays absent
  EXPECT_EQ(h.initializers.at(h.nodes.at(0).inputs[2]), Tensor::scalar(6.0f));
}

TEST(OnnxOpset, DropoutRatioBecomesAnInputBeforeOpset12) {
  onnx::ModelProto m = one_node_model(10, "Dropout");
  testing::set_float(node_of(m), "ratio", 0.4f);
  const Graph g = import(m);
  EXPECT_EQ(g.initializers.at(g.nodes.at(0).inputs.at(1)), Tensor::scalar(0.4f));
}

TEST(OnnxOpset, SoftmaxGetsItsOldDefaultAxisBeforeOpset13) {
  EXPECT_EQ(import(one_node_model(12, "Softmax")).nodes.at(0).attrs.get_int("axis"), 1);
  onnx::ModelProto explicit_axis = one_node_model(12, "Softmax");
  testing::set_int(node_of(explicit_axis), "axis", -1);
  EXPECT_EQ(import(explicit_axis).nodes.at(0).attrs.get_int("axis"), -1);
  EXPECT_FALSE(import(one_node_model(13, "Softmax")).nodes.at(0).attrs.has("axis"));
}

TEST(OnnxOpset, OldSoftmaxOverSeveralAxesIsRefused) {
  // x [N,3,4]: before opset 13, axis 1 meant one softmax over all 12 values of a sample.
  onnx::ModelProto flattening = one_node_model(12, "Softmax");
  auto& input_shape =
      *flattening.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  input_shape.add_dim()->set_dim_value(3);
  input_shape.mutable_dim(1)->set_dim_value(3);
  input_shape.mutable_dim(2)->set_dim_value(4);
  EXPECT_THAT([&] { import(flattening); },
              ThrowsMessage<Error>(AllOf(HasSubstr("'node'"), HasSubstr("[1,3,4]"), HasSubstr("axes 1 to 2"))));
  // Over the last axis the two meanings agree.
  testing::set_int(node_of(flattening), "axis", -1);
  EXPECT_EQ(import(flattening).nodes.at(0).attrs.get_int("axis"), -1);
  // So they do when every later dim is 1, as in [N,C,1,1] after a global pooling.
  input_shape.mutable_dim(2)->set_dim_value(1);
  node_of(flattening).clear_attribute();
  EXPECT_EQ(import(flattening).nodes.at(0).attrs.get_int("axis"), 1);
}

TEST(OnnxOpset, ReduceAxesInputBecomesAnAttributeFromOpset18) {
  onnx::ModelProto m = one_node_model(18, "ReduceMean", {"x", "axes"});
  testing::add_initializer(*m.mutable_graph(), testing::raw_int64_tensor("axes", {1}, {1}));
  testing::set_int(node_of(m), "keepdims", 0);
  testing::set_int(node_of(m), "noop_with_empty_axes", 0);
  const Graph g = import(m);
  const Node& n = g.nodes.at(0);
  EXPECT_EQ(n.inputs, std::vector<std::string>{"x"});
  EXPECT_EQ(n.attrs.get_ints("axes"), (std::vector<int64_t>{1}));
  EXPECT_FALSE(n.attrs.has("noop_with_empty_axes"));
  EXPECT_TRUE(g.initializers.empty()) << "the axes initializer is no longer used";

  // Axes from a Constant node work too.
  onnx::ModelProto from_constant = one_node_model(18, "ReduceMax", {"x", "c"});
  auto& c = testing::add_node(*from_constant.mutable_graph(), "Constant", {}, {"c"}, "const");
  testing::set_ints(c, "value_ints", {-1});
  EXPECT_EQ(import(from_constant).nodes.at(0).attrs.get_ints("axes"), (std::vector<int64_t>{-1}));

  // Axes computed at run time cannot be expressed in opset 13.
  onnx::ModelProto dynamic = one_node_model(18, "ReduceMean", {"x", "axes"});
  testing::add_input(*dynamic.mutable_graph(), "axes", {1}, onnx::TensorProto::INT64);
  EXPECT_THAT([&] { import(dynamic); },
              ThrowsMessage<Error>(AllOf(HasSubstr("'node'"), HasSubstr("'axes'"), HasSubstr("not a constant"))));
}

TEST(OnnxOpset, AttributesOutsideOpset13AreDroppedAtTheirDefaultAndRefusedOtherwise) {
  onnx::ModelProto spatial = one_node_model(8, "BatchNormalization", {"x", "s", "b", "m", "v"});
  for (const char* name : {"s", "b", "m", "v"})
    testing::add_initializer(*spatial.mutable_graph(), testing::raw_float_tensor(name, {4}, {1, 1, 1, 1}));
  testing::set_int(node_of(spatial), "spatial", 1);
  EXPECT_FALSE(import(spatial).nodes.at(0).attrs.has("spatial"));
  node_of(spatial).mutable_attribute(0)->set_i(0);
  EXPECT_THAT([&] { import(spatial); },
              ThrowsMessage<Error>(AllOf(HasSubstr("'node'"), HasSubstr("'spatial'"), HasSubstr("opset 13"))));

  onnx::ModelProto allowzero = one_node_model(14, "Reshape", {"x", "shape"});
  testing::add_initializer(*allowzero.mutable_graph(), testing::raw_int64_tensor("shape", {1}, {-1}));
  testing::set_int(node_of(allowzero), "allowzero", 0);
  EXPECT_FALSE(import(allowzero).nodes.at(0).attrs.has("allowzero"));
  // allowzero=1 stays: the IR's Reshape reads it (zeros in a run-time shape have no opset-13 form).
  node_of(allowzero).mutable_attribute(0)->set_i(1);
  EXPECT_EQ(import(allowzero).nodes.at(0).attrs.get_int("allowzero"), 1);

  onnx::ModelProto training = one_node_model(15, "BatchNormalization", {"x", "s", "b", "m", "v"});
  for (const char* name : {"s", "b", "m", "v"})
    testing::add_initializer(*training.mutable_graph(), testing::raw_float_tensor(name, {4}, {1, 1, 1, 1}));
  testing::set_int(node_of(training), "training_mode", 1);
  EXPECT_THAT([&] { import(training); },
              ThrowsMessage<Error>(AllOf(HasSubstr("'node' (BatchNormalization)"), HasSubstr("'training_mode' is 1"),
                                         HasSubstr("statistics of the batch"))));
}

}  // namespace
}  // namespace stride
