#include "stride/engine/backend.h"

#include <algorithm>
#include <cstdint>

#include "stride/core/finite_values.h"
#include "stride/core/memory_budget.h"

namespace stride {

void check_finite_input(std::string_view backend, const std::string& name, const Tensor& t) {
  if (const auto bad = first_non_finite(t))
    fail(
        "input '{}' holds {} at index {}: the {} engine's max and ReLU kernels would drop NaN, which "
        "propagates under ONNX's rules (run it on ref or torch)",
        name, bad->value, bad->index, backend);
}

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
    if (it == inputs.end())
      fail("missing input '{}' (expected {} {})", v.name, dtype_name(v.dtype), shape_str(v.shape));
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

void check_run_memory(const Graph& graph, const GraphShapes& shapes, std::string_view backend) {
  // Summed in long double: a hostile graph's sizes may overflow 64 bits.
  long double bytes = 0;
  auto add = [&](const std::string& name) {
    const TensorInfo& info = shapes.at(name);
    long double n = dtype_size(info.dtype);
    for (int64_t d : info.shape) n *= static_cast<long double>(std::max<int64_t>(d, 0));
    bytes += n;
  };
  for (const auto& v : graph.inputs) add(v.name);
  for (const auto& node : graph.nodes)
    for (const auto& out : node.outputs)
      if (!out.empty()) add(out);
  const long double cap = static_cast<long double>(UINT64_MAX);
  check_memory(bytes >= cap ? UINT64_MAX : static_cast<uint64_t>(bytes),
               fmt::format("running '{}' on {} with these inputs", graph.name, backend));
}

}  // namespace stride
