#include "stride/engine/onednn/onednn_plan.h"

#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/scoped_threads.h"

namespace stride {
namespace {

void check_external(const OnednnPlan::External& e, const Tensor& t, const char* role) {
  // A plan is compiled for one shape, so a new shape needs its own plan; a dtype is the model's.
  if (t.dtype() != e.dtype)
    fail("{} '{}' is {}, but the model's is {} (convert the data to {})", role, e.name, dtype_name(t.dtype()),
         dtype_name(e.dtype), dtype_name(e.dtype));
  if (t.shape() != e.shape)
    fail("{} '{}' has shape {}, but this plan was compiled for {} (compile a plan for each input shape)", role, e.name,
         shape_str(t.shape()), shape_str(e.shape));
}

}  // namespace

OnednnPlan::OnednnPlan(Parts parts) : parts_(std::move(parts)), stream_(parts_.engine) {}

TensorMap OnednnPlan::run(const TensorMap& inputs) {
  TensorMap outputs;
  for (const auto& o : parts_.outputs) outputs.emplace(o.name, Tensor(o.dtype, o.shape));
  run_into(inputs, outputs);
  return outputs;
}

void OnednnPlan::run_into(const TensorMap& inputs, TensorMap& outputs) {
  bind(inputs, outputs);
  execute([](size_t, auto&& step) { step(); });
}

StepTimeline OnednnPlan::profile_steps(const TensorMap& inputs, int runs) {
  TensorMap outputs;
  for (const auto& o : parts_.outputs) outputs.emplace(o.name, Tensor(o.dtype, o.shape));
  bind(inputs, outputs);
  StepTimeline timeline(parts_.steps.size());
  for (int r = 0; r < runs; ++r) {
    timeline.start_run();
    execute([&](size_t i, auto&& step) { timeline.time_step(i, step); });
  }
  return timeline;
}

void OnednnPlan::bind(const TensorMap& inputs, TensorMap& outputs) {
  for (const auto& [name, t] : inputs) {
    bool known = false;
    for (const auto& e : parts_.inputs) known = known || e.name == name;
    if (!known) fail("'{}' is not an input of the model", name);
  }
  for (auto& e : parts_.inputs) {
    auto it = inputs.find(e.name);
    if (it == inputs.end())
      fail("missing input '{}' (expected {} {})", e.name, dtype_name(e.dtype), shape_str(e.shape));
    check_external(e, it->second, "input");
    check_finite_input("onednn", e.name, it->second);
    // Inputs are only ever read: in-place updates are limited to the plan's own arena.
    void* handle = const_cast<std::byte*>(it->second.raw());
    for (auto& m : e.memories) m.set_data_handle(handle);
  }
  for (auto& e : parts_.outputs) {
    auto it = outputs.find(e.name);
    if (it == outputs.end()) fail("no tensor given for output '{}'", e.name);
    check_external(e, it->second, "output");
    for (auto& m : e.memories) m.set_data_handle(it->second.raw());
  }
}

template <typename AroundStep>
void OnednnPlan::execute(AroundStep&& around) {
  const onednn::ScopedThreads scoped_threads(parts_.threads);
  for (size_t i = 0; i < parts_.steps.size(); ++i) {
    try {
      const Step& step = parts_.steps[i];
      around(i, [&] {
        if (step.host) {
          step.host(step.args);
        } else {
          step.primitive.execute(stream_, step.args);
          stream_.wait();
        }
      });
    } catch (const dnnl::error& e) {
      const OnednnStepInfo& info = parts_.infos[i];
      fail("step {} ({} of {}) failed: {}", i, info.primitive,
           info.nodes.empty() ? "'" + info.converts + "'" : "node '" + info.nodes.front() + "'", e.what());
    }
  }
}

std::vector<std::vector<std::string>> OnednnPlan::fused_nodes() const {
  std::vector<std::vector<std::string>> out;
  for (const auto& info : parts_.infos)
    if (info.nodes.size() > 1) out.push_back(info.nodes);
  return out;
}

std::vector<std::string> OnednnPlan::reference_nodes() const {
  std::vector<std::string> names;
  for (const auto& info : parts_.infos)
    if (onednn::is_reference_step(info.primitive, info.implementation))
      names.insert(names.end(), info.nodes.begin(), info.nodes.end());
  return names;
}

std::map<std::string, Shape> OnednnPlan::input_shapes() const {
  std::map<std::string, Shape> out;
  for (const auto& e : parts_.inputs) out[e.name] = e.shape;
  return out;
}

}  // namespace stride
