#include "stride/engine/ref/ref_backend.h"

#include <set>

#include "stride/engine/ref/kernels.h"

namespace stride {

// Plain loops: what the compiler vectorised them for is fixed when Stride is built.
std::string RefBackend::cpu_features() const {
#if defined(__AVX512F__)
  return "AVX-512 (compiler-vectorised loops)";
#elif defined(__AVX2__)
  return "AVX2 (compiler-vectorised loops)";
#elif defined(__x86_64__)
  return "SSE2 (x86-64 baseline, compiler-vectorised loops)";
#elif defined(__aarch64__)
  return "NEON (arm64 baseline, compiler-vectorised loops)";
#else
  return "portable C++";
#endif
}

std::vector<std::string> RefBackend::missing_ops(const Graph& graph) const {
  std::set<std::string> missing;
  for (const auto& n : graph.nodes)
    if (!ref::kernel_registry().find(n.op_type)) missing.insert(n.op_type);
  return {missing.begin(), missing.end()};
}

std::unique_ptr<Plan> RefBackend::compile(const Graph& graph, const CompileOptions& options) const {
  return compile_plan(graph, options);
}

std::unique_ptr<RefPlan> RefBackend::compile_plan(const Graph& graph, const CompileOptions&) const {
  validate(graph);
  check_ops_supported(graph);
  check_backend_supports(*this, graph);
  return std::make_unique<RefPlan>(graph);
}

}  // namespace stride
