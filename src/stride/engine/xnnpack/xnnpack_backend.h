#pragma once
// The xnnpack backend: Stride's engine for ARM CPUs (Raspberry Pi 4, Jetson), where Debian's oneDNN
// has only reference convolutions; built and tested on x86 too, where XNNPACK has SSE2 to AVX-512
// kernels. compile() runs what XNNPACK can in channels-last f32 (lower_ops.cpp) or, in QDQ models,
// int8 (lower_int8.cpp, lower_quant.cpp), and the rest on the ref kernels, with layout conversions
// between (xnnpack_plan.h); the plan runs the shapes it was compiled for.
#include "stride/engine/backend.h"
#include "stride/engine/xnnpack/xnnpack_plan.h"

namespace stride {

class XnnpackBackend final : public Backend {
 public:
  std::string_view name() const override { return "xnnpack"; }
  std::string library_version() const override;
  std::string cpu_features() const override;
  // The ops of `graph` that neither XNNPACK nor the ref kernels it falls back to can run.
  std::vector<std::string> missing_ops(const Graph& graph) const override;
  std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const override;
  // compile() with the plan's own type, for callers that want its steps.
  std::unique_ptr<xnnpack::XnnpackPlan> compile_plan(const Graph& graph, const CompileOptions& options) const;
};

}  // namespace stride
