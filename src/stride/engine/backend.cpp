#include "stride/engine/backend.h"

namespace stride {

void check_backend_supports(const Backend& backend, const Graph& graph) {
  const auto missing = backend.missing_ops(graph);
  if (missing.empty()) return;
  std::string list;
  for (const auto& op : missing) {
    std::string nodes;
    for (const auto& n : graph.nodes)
      if (n.op_type == op) nodes += (nodes.empty() ? "'" : ", '") + n.name + "'";
    list += (list.empty() ? "" : "; ") + op + " (used by " + nodes + ")";
  }
  fail("the {} backend does not support: {}", backend.name(), list);
}

void check_inputs(const Graph& graph, const TensorMap& inputs) {
  for (const auto& v : graph.inputs) {
    auto it = inputs.find(v.name);
    if (it == inputs.end()) fail("missing input '{}' (expected {} {})", v.name, dtype_name(v.dtype), shape_str(v.shape));
    const Tensor& t = it->second;
    bool ok = t.dtype() == v.dtype && t.rank() == v.shape.size();
    for (size_t d = 0; ok && d < v.shape.size(); ++d) ok = v.shape[d] < 0 || v.shape[d] == t.dim(d);
    if (!ok)
      fail("input '{}' is {} {}, the model expects {} {}", v.name, dtype_name(t.dtype()), shape_str(t.shape()),
           dtype_name(v.dtype), shape_str(v.shape));
  }
  for (const auto& [name, t] : inputs)
    if (!graph.input(name)) fail("'{}' is not an input of the model", name);
}

}  // namespace stride
