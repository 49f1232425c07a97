#pragma once
// Backends by name. The runtime's own backends (onednn, ref) are always there; others (the torch
// backend, which only the `stride` tool links) register themselves at start-up, so that the
// runtime library knows nothing of them.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stride/engine/backend.h"

namespace stride {

using BackendFactory = std::function<std::unique_ptr<Backend>()>;

// Adds (or replaces) the backend called `name`. Thread-safe.
void register_backend(std::string name, BackendFactory factory);
// Names of the backends this process has, sorted, e.g. {"onednn", "ref", "torch"}.
std::vector<std::string> backend_names();
// Throws stride::Error listing the available names when `name` is not one of them.
std::unique_ptr<Backend> make_backend(std::string_view name);

// The backend a request names: itself (checked to exist and to run every op of `graph`, else
// stride::Error naming each missing op), or for "auto" the fast engine measured fastest on `graph`
// at `options` (engine/select/measured_choice.h), remembered in `cache` when one is given; ref
// when no fast engine runs every op. When `options` does not fix every input's shape, "auto" is
// not timed: it takes the first fast engine that runs every op.
struct BackendChoice {
  std::string name;    // never "auto"
  std::string reason;  // why "auto" chose it; empty for a named backend
};
class BackendChoiceCache;
BackendChoice choose_backend(std::string_view requested, const Graph& graph, const CompileOptions& options = {},
                             BackendChoiceCache* cache = nullptr);
// backend_names() and "auto": what choose_backend accepts.
std::vector<std::string> backend_choices();

}  // namespace stride
