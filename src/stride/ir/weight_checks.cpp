#include "stride/ir/weight_checks.h"

#include "stride/core/finite_values.h"

namespace stride {

void check_finite_weights(const Graph& graph, std::string_view work) {
  for (const auto& [name, tensor] : graph.initializers)
    if (const auto bad = first_non_finite(tensor))
      fail("initializer '{}' holds {} at index {}: {} needs finite weights", name, bad->value, bad->index, work);
}

}  // namespace stride
