#pragma once
// The LibTorch eager backend: runs the IR op by op with LibTorch's ATen operators, FP32. It is the
// baseline every benchmark compares against (the paper's TensorFlow rows). This header keeps
// LibTorch's headers out of its users; the autograd-capable program is in torch_program.h.
#include "stride/engine/backend.h"

namespace stride {

class TorchBackend final : public Backend {
 public:
  std::string_view name() const override { return "torch"; }
  std::string library_version() const override;
  std::string cpu_features() const override;  // ATen's CPU capability: "AVX512", "AVX2" or "DEFAULT"
  std::vector<std::string> missing_ops(const Graph& graph) const override;
  std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const override;
};

// Makes "torch" a name make_backend() knows (engine/select/make_backend.h). The `stride` tool calls
// it at start-up; the runtime library does not link LibTorch.
void register_torch_backend();

}  // namespace stride
