#include "stride/engine/ref/ref_backend.h"

#include <set>

#include "stride/engine/ref/kernels.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

class RefPlan final : public Plan {
 public:
  explicit RefPlan(Graph graph) : graph_(sorted(std::move(graph))) {}

  TensorMap run(const TensorMap& inputs) override {
    check_inputs(graph_, inputs);
    const GraphShapes shapes = infer_shapes_for_run(graph_, inputs);
    check_run_memory(graph_, shapes, "ref");

    std::map<std::string, Tensor> values = inputs;
    auto lookup = [&](const std::string& name) -> const Tensor* {
      if (auto it = values.find(name); it != values.end()) return &it->second;
      if (auto it = graph_.initializers.find(name); it != graph_.initializers.end()) return &it->second;
      fail("value '{}' is not available", name);
    };
    for (const Node& node : graph_.nodes) {
      ref::KernelContext ctx{node, {}, {}};
      for (const auto& in : node.inputs) ctx.inputs.push_back(in.empty() ? nullptr : lookup(in));
      std::vector<Tensor> outs;
      for (const auto& o : node.outputs) {
        const TensorInfo* info = o.empty() ? nullptr : &shapes.at(o);
        outs.push_back(info ? Tensor(info->dtype, info->shape) : Tensor());
      }
      for (size_t o = 0; o < outs.size(); ++o) ctx.outputs.push_back(node.outputs[o].empty() ? nullptr : &outs[o]);
      (*ref::kernel_registry().find(node.op_type))(ctx);
      for (size_t o = 0; o < outs.size(); ++o)
        if (!node.outputs[o].empty()) values[node.outputs[o]] = std::move(outs[o]);
    }
    TensorMap result;
    for (const auto& o : graph_.outputs) result[o.name] = *lookup(o.name);
    return result;
  }

  std::vector<std::string> reference_nodes() const override {
    std::vector<std::string> names;
    for (const Node& node : graph_.nodes) names.push_back(node.name);
    return names;
  }

 private:
  Graph graph_;
};

}  // namespace

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

std::unique_ptr<Plan> RefBackend::compile(const Graph& graph, const CompileOptions&) const {
  validate(graph);
  check_ops_supported(graph);
  check_backend_supports(*this, graph);
  return std::make_unique<RefPlan>(graph);
}

}  // namespace stride
