#include "stride/onnx/onnx_export.h"

#include "stride/core/atomic_file.h"
#include "stride/onnx/attribute_proto.h"
#include "stride/onnx/opset_conversion.h"
#include "stride/onnx/proto_bytes.h"
#include "stride/onnx/tensor_proto.h"

namespace stride {
namespace {

constexpr int64_t kIrVersion = 8;  // the IR version that goes with opset 13

void value_info_to_proto(const ValueInfo& info, onnx::ValueInfoProto& proto) {
  proto.set_name(info.name);
  auto* type = proto.mutable_type()->mutable_tensor_type();
  type->set_elem_type(onnx_io::dtype_to_onnx(info.dtype));
  auto* shape = type->mutable_shape();
  for (int64_t d : info.shape) {
    auto* dim = shape->add_dim();
    // An unknown dim is written with neither dim_value nor dim_param: "any size".
    if (d >= 0) dim->set_dim_value(d);
  }
}

void node_to_proto(const Node& node, onnx::NodeProto& proto) {
  proto.set_name(node.name);
  proto.set_op_type(node.op_type);
  for (const auto& in : node.inputs) proto.add_input(in);
  for (const auto& out : node.outputs) proto.add_output(out);
  for (const auto& [name, value] : node.attrs.all()) *proto.add_attribute() = onnx_io::attribute_to_proto(name, value);
}

onnx::ModelProto model_to_proto(const Graph& graph) {
  onnx::ModelProto model;
  model.set_ir_version(kIrVersion);
  model.set_producer_name("stride");
  model.add_opset_import()->set_version(onnx_io::kIrOpset);
  for (const auto& [key, value] : graph.metadata) {
    auto* prop = model.add_metadata_props();
    prop->set_key(key);
    prop->set_value(value);
  }
  auto* proto = model.mutable_graph();
  // ONNX requires a graph name; an unnamed IR graph gets a placeholder.
  proto->set_name(graph.name.empty() ? "graph" : graph.name);
  for (size_t i : topological_order(graph)) node_to_proto(graph.nodes[i], *proto->add_node());
  for (const auto& [name, tensor] : graph.initializers)
    *proto->add_initializer() = onnx_io::tensor_to_proto(tensor, name);
  for (const auto& input : graph.inputs) value_info_to_proto(input, *proto->add_input());
  for (const auto& output : graph.outputs) value_info_to_proto(output, *proto->add_output());
  return model;
}

}  // namespace

std::string serialize_onnx(const Graph& graph) {
  validate(graph);
  return onnx_io::serialize_proto(model_to_proto(graph), "ONNX model");
}

void save_onnx(const Graph& graph, const std::filesystem::path& path) {
  write_file_atomically(path, serialize_onnx(graph));
}

}  // namespace stride
