#pragma once
#include "stride/engine/backend.h"
#include "stride/engine/ref/ref_plan.h"

namespace stride {

// Runs a graph node by node with the ref kernels, inferring shapes from the actual inputs.
class RefBackend final : public Backend {
 public:
  std::string_view name() const override { return "ref"; }
  std::string library_version() const override { return "stride ref kernels"; }
  std::string cpu_features() const override;
  std::vector<std::string> missing_ops(const Graph& graph) const override;
  std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const override;
  // As compile(), with the plan's steps in reach (`stride bench --explain` and `--profile`).
  std::unique_ptr<RefPlan> compile_plan(const Graph& graph, const CompileOptions& options) const;
};

}  // namespace stride
