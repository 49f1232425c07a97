#include "stride/engine/select/make_backend.h"

#include <fmt/format.h>

#include <map>
#include <mutex>

#include "stride/core/usage_error.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/select/backend_choice_cache.h"
#include "stride/engine/select/measured_choice.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/engine/xnnpack/xnnpack_backend.h"

namespace stride {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, BackendFactory, std::less<>> factories{
      {"onednn", [] { return std::make_unique<OnednnBackend>(); }},
      {"ref", [] { return std::make_unique<RefBackend>(); }},
      {"xnnpack", [] { return std::make_unique<XnnpackBackend>(); }},
  };
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_backend(std::string name, BackendFactory factory) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.factories[std::move(name)] = std::move(factory);
}

std::vector<std::string> backend_names() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, factory] : r.factories) names.push_back(name);
  return names;
}

std::unique_ptr<Backend> make_backend(std::string_view name) {
  BackendFactory factory;
  {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    if (auto it = r.factories.find(name); it != r.factories.end()) factory = it->second;
  }
  if (!factory) usage_fail("unknown backend '{}' (this build has: {})", name, fmt::join(backend_names(), ", "));
  return factory();
}

std::vector<std::string> backend_choices() {
  std::vector<std::string> names = backend_names();
  names.insert(names.begin(), "auto");
  return names;
}

namespace {

bool shapes_fixed(const Graph& graph, const CompileOptions& options) {
  for (const ValueInfo& input : graph.inputs) {
    const auto it = options.input_shapes.find(input.name);
    if (it == options.input_shapes.end()) return false;
    for (int64_t d : it->second)
      if (d < 0) return false;
  }
  return true;
}

BackendChoice first_fast_backend(const Graph& graph) {
  std::vector<std::string> lacks;
  for (const std::string& name : fast_backends()) {
    const std::vector<std::string> missing = make_backend(name)->missing_ops(graph);
    if (missing.empty())
      return {name, "the first fast engine that runs every op (input shapes unknown: nothing timed)"};
    lacks.push_back(fmt::format("{} lacks {}", name, fmt::join(missing, ", ")));
  }
  return {"ref", fmt::format("{}", fmt::join(lacks, "; "))};
}

}  // namespace

BackendChoice choose_backend(std::string_view requested, const Graph& graph, const CompileOptions& options,
                             BackendChoiceCache* cache) {
  if (requested != "auto") {
    check_backend_supports(*make_backend(requested), graph);
    return {std::string(requested), ""};
  }
  const BackendChoice untimed = first_fast_backend(graph);
  if (untimed.name == "ref" || !shapes_fixed(graph, options)) return untimed;
  const std::string key = cache ? choice_key(graph, options) : std::string();
  if (cache)
    if (std::optional<BackendChoice> known = cache->find(key)) {
      known->reason = "remembered: " + known->reason;
      return *known;
    }
  const MeasuredChoice measured = measure_backends(graph, options);
  const BackendChoice choice{measured.backend, measured.reason};
  if (cache) cache->store(key, choice);
  return choice;
}

}  // namespace stride
