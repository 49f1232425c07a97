#include "stride/engine/onednn/onednn_backend.h"

#include <set>

#include "stride/engine/onednn/fusion.h"
#include "stride/engine/onednn/graph_constants.h"
#include "stride/engine/onednn/lowering.h"
#include "stride/engine/onednn/scoped_threads.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

// The onednn backend computes in f32, in int8 between the QuantizeLinear and DequantizeLinear nodes
// of a quantized model, and in s32 from MatMulInteger to its Cast (dynamic quantization); integer
// constants (shapes, axes) are read at compile time. Inputs and outputs are f32, or u8/s8 (a
// full-integer model's).
void check_types(const Graph& graph, const GraphShapes& shapes) {
  auto interface_type = [](DType t) { return t == DType::f32 || t == DType::u8 || t == DType::s8; };
  for (const auto& v : graph.inputs)
    if (!interface_type(v.dtype))
      fail("input '{}' is {}; the onednn backend runs models with f32, u8 or s8 inputs", v.name, dtype_name(v.dtype));
  for (const auto& node : graph.nodes) {
    if (node.op_type == "Constant") continue;
    for (const auto& o : node.outputs) {
      const DType t = o.empty() ? DType::f32 : shapes.at(o).dtype;
      if (!interface_type(t) && t != DType::s32)
        fail("node '{}' ({}) produces '{}' as {}; the onednn backend computes in f32, u8, s8 and s32", node.name,
             node.op_type, o, dtype_name(t));
    }
  }
  for (const auto& v : graph.outputs)
    if (!interface_type(shapes.at(v.name).dtype))
      fail("output '{}' is {}; the onednn backend runs models with f32, u8 or s8 outputs", v.name,
           dtype_name(shapes.at(v.name).dtype));
}

void lower_group(onednn::PlanBuilder& builder, const onednn::FusedGroup& group) {
  const Node& node = *group.anchor;
  try {
    (*onednn::lowering_registry().find(node.op_type))(builder, group);
  } catch (const dnnl::error& e) {
    fail("node '{}' ({}): oneDNN cannot compute it: {}", node.name, node.op_type, e.what());
  }
}

}  // namespace

std::string OnednnBackend::library_version() const {
  const dnnl_version_t* v = dnnl::version();
  return fmt::format("oneDNN {}.{}.{} (cpu, OpenMP)", v->major, v->minor, v->patch);
}

std::string OnednnBackend::cpu_features() const {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_mic:
      return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops:
      return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "no JIT kernels (reference code only)";
  }
}

std::vector<std::string> OnednnBackend::missing_ops(const Graph& graph) const {
  std::set<std::string> missing;
  for (const auto& n : graph.nodes)
    if (!onednn::lowering_registry().find(n.op_type)) missing.insert(n.op_type);
  return {missing.begin(), missing.end()};
}

std::unique_ptr<Plan> OnednnBackend::compile(const Graph& graph, const CompileOptions& options) const {
  return compile_plan(graph, options);
}

std::unique_ptr<OnednnPlan> OnednnBackend::compile_plan(const Graph& graph, const CompileOptions& options) const {
  validate(graph);
  check_ops_supported(graph);
  check_backend_supports(*this, graph);
  if (options.threads < 0 || options.threads > 1024)
    fail("threads must be 0 (all cores) to 1024, got {}", options.threads);
  const Graph sorted_graph = sorted(graph);
  GraphShapes shapes = infer_shapes(sorted_graph, options.input_shapes);
  check_types(sorted_graph, shapes);
  // Before any primitive is made: oneDNN's own limits would otherwise answer first, less clearly.
  check_run_memory(sorted_graph, shapes, "onednn");
  onednn::fold_constants(sorted_graph, shapes, {"DequantizeLinear", "Cast"});
  const onednn::QdqPatterns qdq(sorted_graph, shapes);

  // Primitives pick their kernels for the thread count in force when they are created.
  const int threads = onednn::resolve_threads(options.threads);
  const onednn::ScopedThreads scoped_threads(threads);
  const std::vector<onednn::FusedGroup> schedule = onednn::fuse_nodes(sorted_graph, shapes, qdq);
  onednn::PlanBuilder builder(sorted_graph, shapes, qdq, schedule, threads);
  for (size_t i = 0; i < schedule.size(); ++i) {
    builder.begin_group(i);
    lower_group(builder, schedule[i]);
  }
  try {
    return builder.finish();
  } catch (const dnnl::error& e) {
    fail("the onednn backend could not bind the plan's memory: {}", e.what());
  }
}

}  // namespace stride
