#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <onnx/checker.h>

#include "onnx/onnx_builders.h"
#include "onnx/temp_dir.h"
#include "stride/core/atomic_file.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"

namespace stride {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using ::testing::ThrowsMessage;

// A graph that uses every attribute kind, every initializer dtype a model carries and an
// unknown batch dim. It is not meant to be run, only written and read.
Graph every_attribute_kind() {
  Graph g;
  g.name = "every_kind";
  g.inputs = {{"x", DType::f32, {-1, 3, 8, 8}}, {"seq", DType::f32, {5, -1, 4}}};
  g.outputs = {{"flat", DType::f32, {-1, 256}}, {"lstm_y", DType::f32, {5, 1, -1, 2}}};
  g.initializers["conv.weight"] = Tensor::from_vector<float>({4, 3, 1, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  g.initializers["conv.bias"] = Tensor::from_vector<float>({4}, {0.5f, -0.5f, 0.25f, 0});
  g.initializers["lstm.w"] = Tensor(DType::f32, {1, 8, 4});
  g.initializers["lstm.r"] = Tensor(DType::f32, {1, 8, 2});
  g.initializers["half"] = Tensor::from_vector<float>({2}, {1.0f, -2.0f}).cast(DType::f16);
  g.initializers["scale"] = Tensor::scalar(0.1f);
  g.initializers["zero"] = Tensor::from_vector<int8_t>({}, {3});

  Node conv{"conv", "Conv", {"x", "conv.weight", "conv.bias"}, {"c"}, {}};
  conv.attrs.set("kernel_shape", std::vector<int64_t>{1, 1});
  conv.attrs.set("pads", std::vector<int64_t>{0, 0, 0, 0});
  conv.attrs.set("group", int64_t{1});
  conv.attrs.set("auto_pad", std::string("NOTSET"));
  Node leaky{"leaky", "LeakyRelu", {"c"}, {"a"}, {}};
  leaky.attrs.set("alpha", 0.2f);
  Node quant{"quant", "QuantizeLinear", {"a", "scale", "zero"}, {"q"}, {}};
  Node dequant{"dequant", "DequantizeLinear", {"q", "scale", "zero"}, {"dq"}, {}};
  Node shape{"shape", "Constant", {}, {"shape_value"}, {}};
  shape.attrs.set("value", Tensor::from_vector<int64_t>({2}, {-1, 256}));
  Node reshape{"reshape", "Reshape", {"dq", "shape_value"}, {"flat"}, {}};
  Node lstm{"lstm", "LSTM", {"seq", "lstm.w", "lstm.r"}, {"lstm_y"}, {}};
  lstm.attrs.set("hidden_size", int64_t{2});
  lstm.attrs.set("direction", std::string("forward"));
  lstm.attrs.set("activations", std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"});
  lstm.attrs.set("activation_alpha", std::vector<float>{1.0f, 1.0f, 1.0f});
  g.nodes = {conv, leaky, quant, dequant, shape, reshape, lstm};
  g.metadata = {{"stride.family", "test"}, {"stride.classes", "walk,run"}};
  return g;
}

onnx::ModelProto parsed(const std::string& bytes) {
  onnx::ModelProto model;
  EXPECT_TRUE(model.ParseFromString(bytes));
  return model;
}

TEST(OnnxRoundTrip, ImportOfExportGivesTheSameGraph) {
  const Graph g = every_attribute_kind();
  EXPECT_EQ(parse_onnx(serialize_onnx(g), "every_kind.onnx"), g);
}

TEST(OnnxRoundTrip, ExportImportExportIsByteIdentical) {
  const std::string first = serialize_onnx(every_attribute_kind());
  const std::string second = serialize_onnx(parse_onnx(first, "first.onnx"));
  EXPECT_EQ(first, second);
}

TEST(OnnxRoundTrip, EmptyListAttributesSurvive) {
  // Valid ONNX (though the ONNX 1.12 checker still insists on at least one element).
  Graph g = every_attribute_kind();
  g.nodes.back().attrs.set("activation_beta", std::vector<float>{});
  g.nodes.front().attrs.set("dilations", std::vector<int64_t>{});
  g.nodes.back().attrs.set("labels", std::vector<std::string>{});
  EXPECT_EQ(parse_onnx(serialize_onnx(g), "empty_lists.onnx"), g);
}

TEST(OnnxExport, WritesOpset13ModelThatTheOnnxCheckerAccepts) {
  const onnx::ModelProto model = parsed(serialize_onnx(every_attribute_kind()));
  EXPECT_EQ(model.ir_version(), 8);
  EXPECT_EQ(model.producer_name(), "stride");
  ASSERT_EQ(model.opset_import_size(), 1);
  EXPECT_EQ(model.opset_import(0).domain(), "");
  EXPECT_EQ(model.opset_import(0).version(), 13);
  EXPECT_NO_THROW(onnx::checker::check_model(model));

  const auto& graph = model.graph();
  EXPECT_EQ(graph.name(), "every_kind");
  // Initializers are not repeated as inputs; their bytes are raw_data.
  ASSERT_EQ(graph.input_size(), 2);
  EXPECT_EQ(graph.initializer_size(), 7);
  for (const auto& init : graph.initializer()) {
    EXPECT_TRUE(init.has_raw_data()) << init.name();
    EXPECT_EQ(init.float_data_size(), 0);
  }
  // The unknown batch dim has neither a value nor a name.
  const auto& batch = graph.input(0).type().tensor_type().shape().dim(0);
  EXPECT_FALSE(batch.has_dim_value());
  EXPECT_FALSE(batch.has_dim_param());
  EXPECT_EQ(graph.input(0).type().tensor_type().shape().dim(1).dim_value(), 3);

  ASSERT_EQ(model.metadata_props_size(), 2);
  EXPECT_EQ(model.metadata_props(0).key(), "stride.classes");
  EXPECT_EQ(model.metadata_props(0).value(), "walk,run");

  // Attribute kinds as ONNX spells them.
  const onnx::NodeProto* lstm = nullptr;
  for (const auto& n : graph.node())
    if (n.name() == "lstm") lstm = &n;
  ASSERT_NE(lstm, nullptr);
  std::map<std::string, int> kinds;
  for (const auto& a : lstm->attribute()) kinds[a.name()] = a.type();
  EXPECT_EQ(kinds["hidden_size"], onnx::AttributeProto::INT);
  EXPECT_EQ(kinds["direction"], onnx::AttributeProto::STRING);
  EXPECT_EQ(kinds["activations"], onnx::AttributeProto::STRINGS);
  EXPECT_EQ(kinds["activation_alpha"], onnx::AttributeProto::FLOATS);
}

TEST(OnnxExport, NodesAreWrittenInTopologicalOrder) {
  Graph g;
  g.name = "reversed";
  g.inputs = {{"x", DType::f32, {2}}};
  g.outputs = {{"z", DType::f32, {2}}};
  g.nodes = {{"second", "Relu", {"y"}, {"z"}, {}}, {"first", "Relu", {"x"}, {"y"}, {}}};
  const onnx::ModelProto model = parsed(serialize_onnx(g));
  ASSERT_EQ(model.graph().node_size(), 2);
  EXPECT_EQ(model.graph().node(0).name(), "first");
  EXPECT_EQ(parse_onnx(serialize_onnx(g), "reversed.onnx"), sorted(g));
}

TEST(OnnxExport, InvalidGraphIsRefused) {
  Graph g;
  g.inputs = {{"x", DType::f32, {2}}};
  g.outputs = {{"y", DType::f32, {2}}};
  g.nodes = {{"relu", "Relu", {"missing"}, {"y"}, {}}};
  EXPECT_THAT([&] { serialize_onnx(g); }, ThrowsMessage<Error>(HasSubstr("missing")));
}

TEST(OnnxFile, SaveAndLoad) {
  TempDir dir;
  const auto path = dir / "model.onnx";
  const Graph g = every_attribute_kind();
  save_onnx(g, path);
  EXPECT_FALSE(std::filesystem::exists(dir / "model.onnx.tmp"));
  EXPECT_EQ(load_onnx(path), g);
  EXPECT_EQ(read_file(path), serialize_onnx(g));

  // Saving over an existing model replaces it whole.
  Graph smaller = g;
  smaller.metadata.clear();
  save_onnx(smaller, path);
  EXPECT_EQ(load_onnx(path), smaller);
}

TEST(OnnxFile, SaveIntoAMissingDirectoryFailsCleanly) {
  TempDir dir;
  const auto path = dir / "no" / "such" / "model.onnx";
  EXPECT_THAT([&] { save_onnx(every_attribute_kind(), path); }, ThrowsMessage<Error>(HasSubstr("model.onnx")));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(OnnxImport, DimsInputsAndMetadata) {
  onnx::ModelProto m = testing::make_model(13);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {"batch_size", 3, {}});
  // Written as an input too, as exporters before IR version 4 did: still a weight, not an input.
  testing::add_input(g, "w", {3});
  testing::add_initializer(g, testing::raw_float_tensor("w", {3}, {1, 2, 3}));
  testing::add_output(g, "y", {"batch_size", 3, {}});
  testing::add_node(g, "Add", {"x", "w"}, {"y"}, "add");
  auto* prop = m.add_metadata_props();
  prop->set_key("author");
  prop->set_value("someone");

  const Graph graph = parse_onnx(testing::bytes_of(m), "dims.onnx");
  ASSERT_EQ(graph.inputs.size(), 1u);
  EXPECT_EQ(graph.inputs[0], (ValueInfo{"x", DType::f32, {-1, 3, -1}}));
  EXPECT_EQ(graph.outputs[0].shape, (Shape{-1, 3, -1}));
  EXPECT_EQ(graph.initializers.at("w"), Tensor::from_vector<float>({3}, {1, 2, 3}));
  EXPECT_EQ(graph.metadata, (std::map<std::string, std::string>{{"author", "someone"}}));
}

TEST(OnnxImport, EveryNodeGetsAUniqueName) {
  onnx::ModelProto m = testing::make_model(13);
  auto& g = *m.mutable_graph();
  testing::add_input(g, "x", {2});
  testing::add_output(g, "z", {2});
  testing::add_node(g, "Relu", {"x"}, {"y"});
  testing::add_node(g, "Relu", {"y"}, {"y2"}, "Relu_2");  // takes the name the third node would get
  testing::add_node(g, "Relu", {"y2"}, {"y3"});
  testing::add_node(g, "Relu", {"y3"}, {"z"}, "Relu_2");  // a repeated name
  const Graph graph = parse_onnx(testing::bytes_of(m), "unnamed.onnx");
  ASSERT_EQ(graph.nodes.size(), 4u);
  EXPECT_EQ(graph.nodes[0].name, "Relu_0");
  EXPECT_EQ(graph.nodes[1].name, "Relu_2");
  EXPECT_EQ(graph.nodes[2].name, "Relu_2_1");
  EXPECT_EQ(graph.nodes[3].name, "Relu_2_2");
}

TEST(OnnxImport, ConstantValuesBecomeTensors) {
  onnx::ModelProto m = testing::make_model(13);
  auto& g = *m.mutable_graph();
  testing::add_output(g, "f", {});
  testing::add_output(g, "fs", {2});
  testing::add_output(g, "i", {});
  testing::add_output(g, "is", {3});
  testing::add_output(g, "t", {1});
  testing::set_float(testing::add_node(g, "Constant", {}, {"f"}, "f"), "value_float", 2.5f);
  testing::set_floats(testing::add_node(g, "Constant", {}, {"fs"}, "fs"), "value_floats", {1.0f, 2.0f});
  testing::set_int(testing::add_node(g, "Constant", {}, {"i"}, "i"), "value_int", 7);
  testing::set_ints(testing::add_node(g, "Constant", {}, {"is"}, "is"), "value_ints", {4, 5, 6});
  testing::set_tensor(testing::add_node(g, "Constant", {}, {"t"}, "t"), "value",
                      testing::raw_float_tensor("", {1}, {9.0f}));
  const Graph graph = parse_onnx(testing::bytes_of(m), "constants.onnx");
  auto value = [&](size_t i) {
    EXPECT_EQ(graph.nodes[i].attrs.all().size(), 1u);
    return graph.nodes[i].attrs.get_tensor("value");
  };
  EXPECT_EQ(value(0), Tensor::scalar(2.5f));
  EXPECT_EQ(value(1), Tensor::from_vector<float>({2}, {1.0f, 2.0f}));
  EXPECT_EQ(value(2), Tensor::from_vector<int64_t>({}, {7}));
  EXPECT_EQ(value(3), Tensor::from_vector<int64_t>({3}, {4, 5, 6}));
  EXPECT_EQ(value(4), Tensor::from_vector<float>({1}, {9.0f}));
}

TEST(OnnxImport, StringConstantsAreRefused) {
  onnx::ModelProto m = testing::make_model(13);
  auto& g = *m.mutable_graph();
  testing::add_output(g, "s", {});
  testing::set_string(testing::add_node(g, "Constant", {}, {"s"}, "label"), "value_string", "walk");
  EXPECT_THAT(
      [&] { parse_onnx(testing::bytes_of(m), "strings.onnx"); },
      ThrowsMessage<Error>(::testing::AllOf(HasSubstr("strings.onnx"), HasSubstr("'label'"), HasSubstr("string"))));
}

}  // namespace
}  // namespace stride
