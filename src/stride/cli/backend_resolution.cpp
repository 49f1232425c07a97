#include "stride/cli/backend_resolution.h"

#include <fmt/format.h>

#include "stride/engine/inputs.h"
#include "stride/engine/select/backend_choice_cache.h"

namespace stride::cli {

BackendChoice resolve_backend(const std::string& requested, const Graph& graph, const CompileOptions& options) {
  BackendChoiceCache remembered(default_choice_cache_file());
  const BackendChoice choice = choose_backend(requested, graph, options, &remembered);
  if (!choice.reason.empty())
    fmt::print("backend: auto chose {} for {} ({})\n", choice.name, graph.name, choice.reason);
  return choice;
}

BackendChoice resolve_backend(const std::string& requested, const Graph& graph, int64_t batch, int threads) {
  CompileOptions options;
  options.threads = threads;
  options.input_shapes = input_shapes_at_batch(graph, batch);
  return resolve_backend(requested, graph, options);
}

}  // namespace stride::cli
