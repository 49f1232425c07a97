#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stride/engine/backend.h"

namespace stride {

// Names of the backends this build has, e.g. {"onednn", "ref", "torch"}.
std::vector<std::string> backend_names();
// Throws stride::Error listing the available names when `name` is not one of them.
std::unique_ptr<Backend> make_backend(std::string_view name);

}  // namespace stride
