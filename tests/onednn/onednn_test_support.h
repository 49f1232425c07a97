#pragma once
// Small graphs for the onednn backend tests, and the oracle they are checked against: the same
// graph, the same seeded inputs, run by the ref backend.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stride/core/random.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/shape_inference.h"
#include "tensor_compare.h"

namespace stride::testing {

// Uniform values in [-1, 1).
inline Tensor random_tensor(const Shape& shape, uint64_t seed) {
  Random rng(seed);
  Tensor t(DType::f32, shape);
  for (float& v : t.values<float>()) v = 2.0f * rng.uniform() - 1.0f;
  return t;
}

// Builds a graph node by node; every node is named after its output.
class GraphMaker {
 public:
  std::string input(const std::string& name, Shape shape) {
    graph_.inputs.push_back({name, DType::f32, std::move(shape)});
    return name;
  }
  std::string weight(const std::string& name, const Shape& shape) {
    graph_.initializers[name] = random_tensor(shape, ++seed_);
    return name;
  }
  std::string constant(const std::string& name, Tensor value) {
    graph_.initializers[name] = std::move(value);
    return name;
  }
  std::string node(const std::string& op, const std::string& output, std::vector<std::string> inputs,
                   Attributes attrs = {}) {
    graph_.nodes.push_back({output, op, std::move(inputs), {output}, std::move(attrs)});
    return output;
  }
  // Marks `value` as a graph output (its shape inferred from the graph so far).
  GraphMaker& output(const std::string& value) {
    graph_.outputs.push_back({value, DType::f32, infer_shapes(graph_).at(value).shape});
    return *this;
  }
  const Graph& graph() const { return graph_; }

 private:
  Graph graph_;
  uint64_t seed_ = 100;
};

// Seeded values in [-1, 1) for every graph input (negative values matter to the activations).
inline TensorMap signed_random_inputs(const Graph& graph, const std::map<std::string, Shape>& shapes,
                                      uint64_t seed = 1) {
  const GraphShapes inferred = infer_shapes(graph, shapes);
  TensorMap inputs;
  for (const auto& v : graph.inputs) inputs[v.name] = random_tensor(inferred.at(v.name).shape, seed++);
  return inputs;
}

// Every output of the onednn plan within `tolerance` (relative to the largest reference value) of ref.
inline void expect_matches_ref(const OnednnPlan& plan, const TensorMap& outputs, const Graph& graph,
                               const TensorMap& inputs, double tolerance) {
  const TensorMap expected = RefBackend().compile(graph, {})->run(inputs);
  ASSERT_EQ(outputs.size(), expected.size());
  for (const auto& [name, want] : expected) {
    SCOPED_TRACE("output '" + name + "' of a plan of " + std::to_string(plan.primitive_count()) + " primitives");
    EXPECT_TRUE(close_to(outputs.at(name), want, tolerance));
  }
}

// Compiles `graph` for `shapes`, runs it on seeded random inputs and compares with ref. Returns the
// plan for further checks on its structure.
inline std::unique_ptr<OnednnPlan> expect_matches_ref(const Graph& graph,
                                                      const std::map<std::string, Shape>& shapes = {},
                                                      double tolerance = 1e-5) {
  auto plan = OnednnBackend().compile_plan(graph, {.threads = 0, .input_shapes = shapes});
  const TensorMap inputs = signed_random_inputs(graph, shapes);
  expect_matches_ref(*plan, plan->run(inputs), graph, inputs, tolerance);
  return plan;
}

// The step of `plan` that computes `node`.
inline const OnednnStepInfo& step_computing(const OnednnPlan& plan, const std::string& node) {
  for (const auto& s : plan.steps())
    for (const auto& n : s.nodes)
      if (n == node) return s;
  throw Error("no step computes node '" + node + "'");
}

// oneDNN falls back to reference kernels (tens of times slower) for layouts or fusions its fast
// kernels do not take; that must not happen on the paths Stride relies on.
inline bool is_reference_kernel(const OnednnStepInfo& step) {
  return onednn::is_reference_implementation(step.implementation);
}

inline Attributes attributes(std::initializer_list<std::pair<std::string, AttrValue>> values) {
  Attributes a;
  for (const auto& [name, value] : values) a.set(name, value);
  return a;
}

using Ints = std::vector<int64_t>;

}  // namespace stride::testing
