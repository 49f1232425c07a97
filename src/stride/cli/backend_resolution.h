#pragma once
// `--backend` as every command resolves it before its work: a name as it is (checked to exist and
// to run every op of the model), `auto` the fast engine measured fastest on the model at the shapes
// and threads it will run with, remembered in the user's cache file (engine/select/), with a line
// saying what it chose and why.
#include <cstdint>
#include <string>

#include "stride/engine/select/make_backend.h"

namespace stride::cli {

BackendChoice resolve_backend(const std::string& requested, const Graph& graph, const CompileOptions& options);
// The same at `batch` samples per inference (every input's first dimension).
BackendChoice resolve_backend(const std::string& requested, const Graph& graph, int64_t batch, int threads);

}  // namespace stride::cli
