#include "stride/engine/ref/ref_plan.h"

#include "stride/engine/ref/kernels.h"
#include "stride/ir/shape_inference.h"

namespace stride {

RefPlan::RefPlan(Graph graph) : graph_(sorted(std::move(graph))) {}

TensorMap RefPlan::run(const TensorMap& inputs) {
  return execute(inputs, [](size_t, auto&& kernel) { kernel(); });
}

StepTimeline RefPlan::profile_steps(const TensorMap& inputs, int runs) {
  StepTimeline timeline(graph_.nodes.size());
  for (int r = 0; r < runs; ++r) {
    timeline.start_run();
    execute(inputs, [&](size_t i, auto&& kernel) { timeline.time_step(i, kernel); });
  }
  return timeline;
}

template <typename AroundStep>
TensorMap RefPlan::execute(const TensorMap& inputs, AroundStep&& around) const {
  check_inputs(graph_, inputs);
  const GraphShapes shapes = infer_shapes_for_run(graph_, inputs);
  check_run_memory(graph_, shapes, "ref");

  std::map<std::string, Tensor> values = inputs;
  auto lookup = [&](const std::string& name) -> const Tensor* {
    if (auto it = values.find(name); it != values.end()) return &it->second;
    if (auto it = graph_.initializers.find(name); it != graph_.initializers.end()) return &it->second;
    fail("value '{}' is not available", name);
  };
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const Node& node = graph_.nodes[i];
    ref::KernelContext ctx{node, {}, {}};
    for (const auto& in : node.inputs) ctx.inputs.push_back(in.empty() ? nullptr : lookup(in));
    std::vector<Tensor> outs;
    for (const auto& o : node.outputs) {
      const TensorInfo* info = o.empty() ? nullptr : &shapes.at(o);
      outs.push_back(info ? Tensor(info->dtype, info->shape) : Tensor());
    }
    for (size_t o = 0; o < outs.size(); ++o) ctx.outputs.push_back(node.outputs[o].empty() ? nullptr : &outs[o]);
    around(i, [&] { (*ref::kernel_registry().find(node.op_type))(ctx); });
    for (size_t o = 0; o < outs.size(); ++o)
      if (!node.outputs[o].empty()) values[node.outputs[o]] = std::move(outs[o]);
  }
  TensorMap result;
  for (const auto& o : graph_.outputs) result[o.name] = *lookup(o.name);
  return result;
}

std::vector<std::string> RefPlan::reference_nodes() const {
  std::vector<std::string> names;
  for (const Node& node : graph_.nodes) names.push_back(node.name);
  return names;
}

}  // namespace stride
