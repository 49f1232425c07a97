#include "stride/engine/select/make_backend.h"

#include <fmt/format.h>

#include <map>
#include <mutex>

#include "stride/core/usage_error.h"
#include "stride/engine/onednn/onednn_backend.h"
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

BackendChoice choose_backend(std::string_view requested, const Graph& graph) {
  if (requested != "auto") {
    check_backend_supports(*make_backend(requested), graph);
    return {std::string(requested), ""};
  }
  const std::vector<std::string> missing = make_backend("onednn")->missing_ops(graph);
  if (missing.empty()) return {"onednn", "the fast CPU engine runs every op of the model"};
  return {"ref", fmt::format("onednn lacks {}", fmt::join(missing, ", "))};
}

}  // namespace stride
