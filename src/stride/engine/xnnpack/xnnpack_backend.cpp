#include "stride/engine/xnnpack/xnnpack_backend.h"

#include <mutex>

#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/shape_inference.h"

#if defined(__aarch64__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace stride {
namespace {

void initialize_xnnpack() {
  static std::once_flag once;
  static xnn_status status = xnn_status_success;
  std::call_once(once, [] { status = xnn_initialize(nullptr); });
  xnnpack::check(status, "to start on this CPU (xnn_initialize)");
}

}  // namespace

std::string XnnpackBackend::library_version() const { return "XNNPACK (Debian's 2022-02 snapshot), pthreadpool"; }

// XNNPACK picks its kernels by the CPU's features at start-up and does not say which: these are the
// features it dispatches on that this CPU has.
std::string XnnpackBackend::cpu_features() const {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512f";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2+fma";
  if (__builtin_cpu_supports("avx")) return "avx";
  return "sse2";
#elif defined(__aarch64__)
  const unsigned long caps = getauxval(AT_HWCAP);
  std::string features = "neon";
  if (caps & HWCAP_ASIMDDP) features += "+dotprod";
  if (caps & HWCAP_FPHP) features += "+fp16";
  return features;
#else
  return "scalar";
#endif
}

std::vector<std::string> XnnpackBackend::missing_ops(const Graph& graph) const {
  return RefBackend().missing_ops(graph);
}

std::unique_ptr<Plan> XnnpackBackend::compile(const Graph& graph, const CompileOptions& options) const {
  return compile_plan(graph, options);
}

std::unique_ptr<xnnpack::XnnpackPlan> XnnpackBackend::compile_plan(const Graph& graph,
                                                                   const CompileOptions& options) const {
  validate(graph);
  check_ops_supported(graph);
  check_backend_supports(*this, graph);
  if (options.threads < 0 || options.threads > 1024)
    fail("threads must be 0 (all cores) to 1024, got {}", options.threads);
  initialize_xnnpack();
  const Graph sorted_graph = sorted(graph);
  GraphShapes shapes = infer_shapes(sorted_graph, options.input_shapes);  // free dimensions: 1
  check_run_memory(sorted_graph, shapes, "xnnpack");

  xnnpack::PlanBuilder builder(sorted_graph, std::move(shapes), options.threads);
  for (const Node& node : builder.graph().nodes) {
    if (builder.is_fused(node)) continue;
    bool lowered = false;
    try {
      lowered = xnnpack::lower_with_xnnpack(builder, node);
    } catch (const Error&) {  // XNNPACK refused these parameters when making the operator: ref runs it
    }
    if (!lowered) builder.add_ref_step(node);
  }
  return builder.finish();
}

}  // namespace stride
