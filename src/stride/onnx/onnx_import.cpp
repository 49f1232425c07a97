#include "stride/onnx/onnx_import.h"

#include <set>

#include "stride/ir/shape_inference.h"
#include "stride/onnx/attribute_proto.h"
#include "stride/onnx/constant_node.h"
#include "stride/onnx/legacy_broadcast.h"
#include "stride/onnx/opset_conversion.h"
#include "stride/onnx/proto_bytes.h"
#include "stride/onnx/tensor_proto.h"

namespace stride {
namespace {

constexpr std::string_view kKind = "ONNX model";

bool is_default_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

int64_t default_domain_opset(const onnx::ModelProto& model) {
  for (const auto& opset : model.opset_import()) {
    if (!is_default_domain(opset.domain())) continue;
    if (opset.version() < onnx_io::kMinOpset || opset.version() > onnx_io::kMaxOpset)
      fail("opset {} is not supported (Stride reads opsets {} to {}; onnx.version_converter can convert the model)",
           opset.version(), onnx_io::kMinOpset, onnx_io::kMaxOpset);
    return opset.version();
  }
  fail("the model imports no opset of the default ONNX domain (ai.onnx)");
}

enum class Role { input, output };

ValueInfo value_info_from_proto(const onnx::ValueInfoProto& proto, Role role_kind) {
  const std::string_view role = role_kind == Role::input ? "input" : "output";
  if (proto.name().empty()) fail("a graph {} has no name", role);
  const std::string what = fmt::format("graph {} '{}'", role, proto.name());
  if (!proto.type().has_tensor_type()) fail("{} is not a tensor (or has no type)", what);
  const auto& type = proto.type().tensor_type();
  ValueInfo info{proto.name(), onnx_io::dtype_from_onnx(type.elem_type(), what), {}};
  if (!type.has_shape()) {
    // Outputs without a shape are common (the shape follows from the graph); inputs need a rank.
    if (role_kind == Role::input) fail("{} has no shape; Stride needs at least the rank of every input", what);
    return info;
  }
  for (const auto& dim : type.shape().dim())
    // Symbolic and absent dims are known only at run time; some converters also write -1.
    info.shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0 ? dim.dim_value() : -1);
  return info;
}

Node node_from_proto(const onnx::NodeProto& proto, size_t index) {
  Node node{proto.name(),
            proto.op_type(),
            {proto.input().begin(), proto.input().end()},
            {proto.output().begin(), proto.output().end()},
            {}};
  if (node.op_type.empty()) fail("node #{} ('{}') has no op_type", index, node.name);
  const std::string what =
      fmt::format("node '{}' ({})", node.name.empty() ? fmt::format("#{}", index) : node.name, node.op_type);
  for (const auto& attr : proto.attribute()) {
    if (attr.name().empty()) fail("{} has an attribute without a name", what);
    if (node.attrs.has(attr.name())) fail("{} has attribute '{}' twice", what, attr.name());
    node.attrs.set(attr.name(), onnx_io::attribute_from_proto(attr, what));
  }
  return node;
}

// Nodes of other domains (com.microsoft, ai.onnx.ml, custom ops) are listed all at once.
void check_default_domain(const onnx::GraphProto& graph) {
  std::map<std::string, std::vector<std::string>> foreign;
  for (int i = 0; i < graph.node_size(); ++i) {
    const auto& n = graph.node(i);
    if (!is_default_domain(n.domain()))
      foreign[n.domain()].push_back(n.name().empty() ? n.op_type() + " #" + std::to_string(i) : n.name());
  }
  if (foreign.empty()) return;
  std::string list;
  for (const auto& [domain, nodes] : foreign)
    list += fmt::format("{}{} (used by '{}')", list.empty() ? "" : "; ", domain, fmt::join(nodes, "', '"));
  fail("nodes outside the default ONNX domain are not supported: {}", list);
}

// Passes and error messages tell nodes apart by name, so every node gets a unique one: unnamed
// nodes "<op>_<index>", a repeated name "<name>_<k>" (the first node keeps it), each with a
// further suffix if that is taken too.
void give_nodes_unique_names(std::vector<Node>& nodes) {
  std::set<std::string> taken;
  for (const auto& n : nodes) taken.insert(n.name);
  std::set<std::string> kept;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Node& node = nodes[i];
    if (!node.name.empty() && kept.insert(node.name).second) continue;
    const std::string base = node.name.empty() ? node.op_type + "_" + std::to_string(i) : node.name;
    std::string name = base;
    for (int k = 1; taken.count(name); ++k) name = base + "_" + std::to_string(k);
    taken.insert(name);
    kept.insert(name);
    node.name = name;
  }
}

Graph graph_from_model(const onnx::ModelProto& model) {
  if (model.ir_version() < 3)
    fail("ir_version {} is not an ONNX version Stride reads (3 or later; is this an ONNX file?)", model.ir_version());
  const int64_t opset = default_domain_opset(model);
  if (!model.has_graph()) fail("the model has no graph");
  const onnx::GraphProto& proto = model.graph();
  if (proto.sparse_initializer_size() > 0) fail("sparse initializers are not supported");
  check_default_domain(proto);

  Graph graph;
  graph.name = proto.name();
  for (const auto& init : proto.initializer()) {
    if (init.name().empty()) fail("an initializer has no name");
    Tensor t = onnx_io::tensor_from_proto(init, fmt::format("initializer '{}'", init.name()));
    if (!graph.initializers.emplace(init.name(), std::move(t)).second)
      fail("initializer '{}' appears twice", init.name());
  }
  // Before IR version 4 every initializer was also listed as an input; those are not run-time inputs.
  for (const auto& input : proto.input())
    if (!graph.is_initializer(input.name())) graph.inputs.push_back(value_info_from_proto(input, Role::input));
  for (const auto& output : proto.output()) graph.outputs.push_back(value_info_from_proto(output, Role::output));
  for (int i = 0; i < proto.node_size(); ++i) graph.nodes.push_back(node_from_proto(proto.node(i), i));
  give_nodes_unique_names(graph.nodes);
  for (auto& node : graph.nodes)
    if (node.op_type == "Constant") onnx_io::normalize_constant_node(node);
  for (const auto& prop : model.metadata_props())
    if (!graph.metadata.emplace(prop.key(), prop.value()).second) fail("metadata_props has key '{}' twice", prop.key());

  onnx_io::convert_to_ir_opset(graph, opset);
  validate(graph);
  check_ops_supported(graph);
  onnx_io::align_legacy_broadcasts(graph, opset);
  onnx_io::check_softmax_axes(graph, opset);
  return graph;
}

}  // namespace

Graph parse_onnx(std::string_view bytes, std::string source_name) {
  try {
    onnx::ModelProto model;
    onnx_io::parse_proto(bytes, model, kKind);
    return graph_from_model(model);
  } catch (const Error& e) {
    fail("'{}': {}", source_name, e.what());
  }
}

Graph load_onnx(const std::filesystem::path& path) {
  return parse_onnx(onnx_io::read_proto_file(path, kKind), path.string());
}

}  // namespace stride
