#include "stride/engine/onednn/graph_constants.h"

namespace stride::onednn {

const Tensor* find_constant(const Graph& graph, const GraphShapes& shapes, const std::string& name) {
  if (graph.input(name)) return nullptr;
  if (auto it = graph.initializers.find(name); it != graph.initializers.end()) return &it->second;
  if (auto it = shapes.constants.find(name); it != shapes.constants.end()) return &it->second;
  return nullptr;
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
