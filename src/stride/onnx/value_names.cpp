#include "stride/onnx/value_names.h"

namespace stride::onnx_io {

ValueNames::ValueNames(const Graph& graph) {
  for (const auto& v : graph.inputs) taken_.insert(v.name);
  for (const auto& [name, t] : graph.initializers) taken_.insert(name);
  for (const auto& n : graph.nodes) {
    taken_.insert(n.name);
    taken_.insert(n.outputs.begin(), n.outputs.end());
  }
}

std::string ValueNames::fresh(const std::string& base) {
  std::string name = base;
  for (int k = 1; taken_.count(name); ++k) name = base + "_" + std::to_string(k);
  taken_.insert(name);
  return name;
}

}  // namespace stride::onnx_io
