#pragma once
// The onednn backend: Stride's fast CPU engine. compile() infers every shape for
// CompileOptions::input_shapes, groups nodes into fused primitives (fusion.h), lowers each group to
// oneDNN primitives whose weights are prepacked and whose activations stay in the layouts oneDNN
// chose (plan_builder.h), and places every intermediate tensor in one arena by liveness
// (arena_planner.h). The plan runs only the shapes it was compiled for.
#include "stride/engine/backend.h"
#include "stride/engine/onednn/onednn_plan.h"

namespace stride {

class OnednnBackend final : public Backend {
 public:
  std::string_view name() const override { return "onednn"; }
  std::string library_version() const override;  // "oneDNN 2.6.3 (cpu, OpenMP)"
  std::string cpu_features() const override;     // oneDNN's effective ISA, e.g. "avx512_core_amx"
  std::vector<std::string> missing_ops(const Graph& graph) const override;
  std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const override;
  // compile() with the plan's own type, for callers that want its introspection.
  std::unique_ptr<OnednnPlan> compile_plan(const Graph& graph, const CompileOptions& options) const;
};

}  // namespace stride
