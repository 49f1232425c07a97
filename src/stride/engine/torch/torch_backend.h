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
  std::vector<std::string> missing_ops(const Graph& graph) const override;
  std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const override;
};

}  // namespace stride
