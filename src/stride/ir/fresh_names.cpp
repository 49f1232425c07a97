#include "stride/ir/fresh_names.h"

#include <fmt/format.h>

namespace stride {

FreshNames::FreshNames(const Graph& graph) {
  for (const ValueInfo& v : graph.inputs) taken_.insert(v.name);
  for (const ValueInfo& v : graph.outputs) taken_.insert(v.name);
  for (const auto& [name, tensor] : graph.initializers) taken_.insert(name);
  for (const Node& n : graph.nodes) {
    taken_.insert(n.name);
    taken_.insert(n.outputs.begin(), n.outputs.end());
  }
}

std::string FreshNames::fresh(const std::string& base) {
  std::string name = base;
  for (int suffix = 2; taken_.count(name); ++suffix) name = fmt::format("{}_{}", base, suffix);
  taken_.insert(name);
  return name;
}

}  // namespace stride
