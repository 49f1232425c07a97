#include "stride/ir/cost.h"

#include <set>

namespace stride {

int64_t ModelCost::total_weight_bytes() const {
  int64_t total = 0;
  for (const auto& [dtype, bytes] : weight_bytes) total += bytes;
  return total;
}

ModelCost model_cost(const Graph& graph, const std::map<std::string, Shape>& input_shapes) {
  const GraphShapes shapes = infer_shapes(graph, input_shapes);
  ModelCost cost;
  std::set<std::string> counted;  // an initializer shared by two nodes is counted once
  for (size_t i : topological_order(graph)) {
    const Node& node = graph.nodes[i];
    const OpDef& def = *op_registry().find(node.op_type);
    const InferContext ctx = make_infer_context(graph, node, shapes);
    LayerCost layer{node.name, node.op_type, {}, 0, 0, 0};
    std::vector<TensorInfo> outs;
    for (const auto& o : node.outputs) outs.push_back(o.empty() ? TensorInfo{} : shapes.at(o));
    if (!outs.empty()) layer.output_shape = outs[0].shape;
    for (const auto& in : node.inputs) {
      auto it = graph.initializers.find(in);
      if (it == graph.initializers.end() || graph.input(in) || !counted.insert(in).second) continue;
      // int64 initializers are shapes and axes (ONNX has no int64 weights), not parameters.
      if (it->second.dtype() != DType::s64) layer.params += it->second.numel();
    }
    if (def.macs) layer.macs = def.macs(ctx, outs);
    if (!def.is_view && node.op_type != "Constant")
      for (size_t o = 0; o < outs.size(); ++o)
        if (!node.outputs[o].empty()) layer.activations += shape_numel(outs[o].shape);
    cost.params += layer.params;
    cost.macs += layer.macs;
    cost.activations += layer.activations;
    cost.layers.push_back(std::move(layer));
  }
  for (const auto& [name, t] : graph.initializers)
    if (!graph.input(name)) cost.weight_bytes[t.dtype()] += static_cast<int64_t>(t.nbytes());
  return cost;
}

}  // namespace stride
