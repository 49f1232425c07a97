#include "stride/cli/step_trace.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "stride/engine/inputs.h"
#include "stride/ir/shape_inference.h"

namespace stride::cli {
namespace {

// What a step reads and writes, in the model's terms.
struct StepValues {
  std::string op;  // the op types of its nodes, "Conv+Relu"; the primitive for a layout conversion
  nlohmann::json input_shapes = nlohmann::json::array();
  nlohmann::json output_shapes = nlohmann::json::array();
};

class StepDescriber {
 public:
  StepDescriber(const Graph& graph, const GraphShapes& shapes) : graph_(graph), shapes_(shapes) {
    for (const Node& node : graph.nodes) nodes_[node.name] = &node;
  }

  // The activations the step reads (made outside it; weights left out) and those it makes that
  // nothing inside it reads. Names that are not nodes ("Relu" in XNNPACK's "conv1 + Relu", a fused
  // activation) add nothing.
  StepValues describe(const OnednnStepInfo& info) const {
    StepValues v;
    if (info.nodes.empty()) {
      v.op = info.primitive;
      v.input_shapes.push_back(shape(info.converts));
      v.output_shapes.push_back(shape(info.converts));
      return v;
    }
    std::vector<const Node*> nodes;
    std::set<std::string> made, read;
    for (const std::string& name : info.nodes)
      if (auto it = nodes_.find(name); it != nodes_.end()) {
        nodes.push_back(it->second);
        made.insert(it->second->outputs.begin(), it->second->outputs.end());
        read.insert(it->second->inputs.begin(), it->second->inputs.end());
      }
    std::vector<std::string> types;
    for (const Node* node : nodes) {
      types.push_back(node->op_type);
      for (const std::string& in : node->inputs)
        if (!in.empty() && !made.count(in) && !graph_.initializers.count(in)) v.input_shapes.push_back(shape(in));
      for (const std::string& out : node->outputs)
        if (!out.empty() && !read.count(out)) v.output_shapes.push_back(shape(out));
    }
    v.op = types.empty() ? info.primitive : fmt::format("{}", fmt::join(types, "+"));
    return v;
  }

 private:
  nlohmann::json shape(const std::string& value) const {
    auto it = shapes_.values.find(value);
    return it == shapes_.values.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second.shape);
  }

  const Graph& graph_;
  const GraphShapes& shapes_;
  std::map<std::string, const Node*> nodes_;
};

// The first step's start over every profiled run: the trace's time zero.
int64_t origin_ns(const std::vector<PlanExplanation>& explanations) {
  int64_t origin = std::numeric_limits<int64_t>::max();
  for (const auto& e : explanations)
    for (const auto& run : e.timeline.runs())
      for (const StepSpan& s : run) origin = std::min(origin, s.start_ns);
  return origin;
}

}  // namespace

nlohmann::json chrome_trace(const Graph& graph, const std::vector<PlanExplanation>& explanations,
                            nlohmann::json other_data) {
  const int64_t origin = origin_ns(explanations);
  const int pid = static_cast<int>(getpid());
  nlohmann::json events = nlohmann::json::array();
  for (const PlanExplanation& e : explanations) {
    const GraphShapes shapes = infer_shapes(graph, input_shapes_at_batch(graph, e.batch));
    const StepDescriber describer(graph, shapes);
    std::vector<StepValues> values;
    for (const ExplainedStep& s : e.steps) values.push_back(describer.describe(s.info));
    for (size_t r = 0; r < e.timeline.runs().size(); ++r)
      for (size_t i = 0; i < e.steps.size(); ++i) {
        const StepSpan& span = e.timeline.runs()[r][i];
        const OnednnStepInfo& info = e.steps[i].info;
        events.push_back({{"name", computes(info)},
                          {"cat", values[i].op},
                          {"ph", "X"},
                          {"ts", static_cast<double>(span.start_ns - origin) / 1e3},
                          {"dur", static_cast<double>(span.duration_ns) / 1e3},
                          {"pid", pid},
                          {"tid", e.batch},
                          {"args",
                           {{"op", values[i].op},
                            {"input_shapes", values[i].input_shapes},
                            {"output_shapes", values[i].output_shapes},
                            {"kernel", info.implementation},
                            {"primitive", info.primitive},
                            {"backend", e.backend},
                            {"batch", e.batch},
                            {"run", r},
                            {"step", i}}}});
      }
  }
  return {{"traceEvents", events}, {"displayTimeUnit", "ms"}, {"otherData", std::move(other_data)}};
}

}  // namespace stride::cli
