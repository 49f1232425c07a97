#pragma once
#include "stride/engine/backend.h"

namespace stride {

// Runs a graph node by node with the ref kernels, inferring shapes from the actual inputs.
class RefBackend final : public Backend {
 public:
  std::string_view name() const override { return "ref"; }
  std::string library_version() const override { return "stride ref kernels"; }
  std::string cpu_features() const override;
  std::vector<std::string> missing_ops(const Graph& graph) const override;
  std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const override;
};

}  // namespace stride
