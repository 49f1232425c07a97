#include "stride/ir/shape_inference.h"

namespace stride {

const TensorInfo& GraphShapes::at(const std::string& value) const {
  auto it = values.find(value);
  if (it == values.end()) fail("no shape known for value '{}'", value);
  return it->second;
}

std::map<std::string, std::vector<std::string>> unsupported_ops(const Graph& graph) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& n : graph.nodes)
    if (!op_registry().find(n.op_type)) out[n.op_type].push_back(n.name);
  return out;
}

void check_ops_supported(const Graph& graph) {
  const auto missing = unsupported_ops(graph);
  if (missing.empty()) return;
  std::string list;
  for (const auto& [op, nodes] : missing) {
    if (!list.empty()) list += "; ";
    list += op + " (used by ";
    for (size_t i = 0; i < nodes.size(); ++i) list += (i ? ", '" : "'") + nodes[i] + "'";
    list += ")";
  }
  fail("unsupported ops: {}", list);
}

InferContext make_infer_context(const Graph& graph, const Node& node, const GraphShapes& shapes) {
  std::vector<const TensorInfo*> infos;
  std::vector<const Tensor*> constants;
  for (const auto& in : node.inputs) {
    if (in.empty()) {
      infos.push_back(nullptr);
      constants.push_back(nullptr);
      continue;
    }
    infos.push_back(&shapes.at(in));
    if (auto it = graph.initializers.find(in); it != graph.initializers.end() && !graph.input(in))
      constants.push_back(&it->second);
    else if (auto c = shapes.constants.find(in); c != shapes.constants.end())
      constants.push_back(&c->second);
    else
      constants.push_back(nullptr);
  }
  return InferContext(node, std::move(infos), std::move(constants));
}

namespace {

// Shapes and integer values are what Reshape, Squeeze, Unsqueeze and the reductions read from
// their shape/axes operands; float inputs never are one, so they are not copied.
std::map<std::string, Tensor> integer_values(const std::map<std::string, Tensor>& inputs) {
  std::map<std::string, Tensor> out;
  for (const auto& [name, t] : inputs)
    if (t.dtype() == DType::s64 || t.dtype() == DType::s32) out.emplace(name, t);
  return out;
}

GraphShapes infer(const Graph& graph, const std::map<std::string, Shape>& input_shapes,
                  std::map<std::string, Tensor> known_inputs) {
  check_ops_supported(graph);
  GraphShapes shapes;
  shapes.constants = std::move(known_inputs);
  for (const auto& [name, t] : graph.initializers) shapes.values[name] = {t.dtype(), t.shape()};
  for (const auto& v : graph.inputs) {
    Shape s = v.shape;
    if (auto it = input_shapes.find(v.name); it != input_shapes.end()) {
      if (it->second.size() != v.shape.size())
        fail("input '{}' has rank {}, but a shape of rank {} was given ({})", v.name, v.shape.size(), it->second.size(),
             shape_str(it->second));
      for (size_t d = 0; d < s.size(); ++d)
        if (s[d] >= 0 && s[d] != it->second[d])
          fail("input '{}' is declared {}, cannot run it with shape {}", v.name, shape_str(v.shape),
               shape_str(it->second));
      s = it->second;
    }
    for (auto& d : s)
      if (d < 0) d = 1;
    shapes.values[v.name] = {v.dtype, s};
  }
  for (const auto& [name, s] : input_shapes)
    if (!graph.input(name)) fail("a shape was given for '{}', which is not an input of the model", name);

  for (size_t i : topological_order(graph)) {
    const Node& node = graph.nodes[i];
    const OpDef& def = *op_registry().find(node.op_type);
    const InferContext ctx = make_infer_context(graph, node, shapes);
    if (node.inputs.size() < def.min_inputs || node.inputs.size() > def.max_inputs)
      ctx.fail("takes {} to {} inputs, got {}", def.min_inputs, def.max_inputs, node.inputs.size());
    std::vector<TensorInfo> outs = def.infer(ctx);
    if (outs.size() < node.outputs.size())
      ctx.fail("produces {} outputs, the node names {}", outs.size(), node.outputs.size());
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      if (node.outputs[o].empty()) continue;
      for (int64_t d : outs[o].shape)
        if (d < 0)
          ctx.fail("inferred a negative dimension for output '{}': {}", node.outputs[o], shape_str(outs[o].shape));
      shape_numel(outs[o].shape);
      shapes.values[node.outputs[o]] = outs[o];
    }
    if (node.op_type == "Constant") shapes.constants[node.outputs.at(0)] = node.attrs.get_tensor("value");
  }
  return shapes;
}

}  // namespace

GraphShapes infer_shapes(const Graph& graph, const std::map<std::string, Shape>& input_shapes) {
  return infer(graph, input_shapes, {});
}

GraphShapes infer_shapes_for_run(const Graph& graph, const std::map<std::string, Tensor>& inputs) {
  std::map<std::string, Shape> input_shapes;
  for (const auto& [name, t] : inputs) input_shapes[name] = t.shape();
  return infer(graph, input_shapes, integer_values(inputs));
}

}  // namespace stride
