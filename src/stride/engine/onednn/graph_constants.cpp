#include "stride/engine/onednn/graph_constants.h"

#include <algorithm>

#include "stride/engine/ref/ref_backend.h"

namespace stride::onednn {

const Tensor* find_constant(const Graph& graph, const GraphShapes& shapes, const std::string& name) {
  if (graph.input(name)) return nullptr;
  if (auto it = graph.initializers.find(name); it != graph.initializers.end()) return &it->second;
  if (auto it = shapes.constants.find(name); it != shapes.constants.end()) return &it->second;
  return nullptr;
}

void fold_constants(const Graph& graph, GraphShapes& shapes, const std::vector<std::string>& op_types) {
  for (const auto& node : graph.nodes) {
    if (std::find(op_types.begin(), op_types.end(), node.op_type) == op_types.end()) continue;
    Graph one;
    bool constant = true;
    for (const auto& in : node.inputs) {
      if (in.empty()) continue;
      const Tensor* t = find_constant(graph, shapes, in);
      if (!t) constant = false;
      else one.initializers[in] = *t;
    }
    if (!constant) continue;
    one.nodes.push_back(node);
    for (const auto& out : node.outputs)
      if (!out.empty()) one.outputs.push_back({out, shapes.at(out).dtype, shapes.at(out).shape});
    for (auto& [name, value] : RefBackend().compile(one, {})->run({})) shapes.constants[name] = std::move(value);
  }
}

std::vector<float> constant_floats(const Graph& graph, const GraphShapes& shapes, const Node& node,
                                   const std::string& name, const char* what) {
  const Tensor* t = find_constant(graph, shapes, name);
  if (!t)
    fail("node '{}' ({}): the onednn backend needs the {} ('{}') to be a constant", node.name, node.op_type, what,
         name);
  const Tensor f = t->to_f32();
  auto v = f.values<float>();
  return {v.begin(), v.end()};
}

}  // namespace stride::onednn
