#pragma once
// The onednn backend tests' oracle: the same graph (graph_maker.h), the same seeded inputs, run by
// the ref backend.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph_maker.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/shape_inference.h"
#include "tensor_compare.h"

namespace stride::testing {

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

// Debian's arm64 oneDNN is built without the Arm Compute Library, and its jit kernels need SVE, which
// a Pi 4 or a Jetson lacks: there every convolution is "gemm:ref" (the reason `--backend auto` takes
// xnnpack on arm64: tests/select), layouts stay plain and im2col scratchpads are large. The checks
// of what the jit kernels make possible — no reference kernel, a sum written in place, a small arena,
// set pooling as pooling — hold where they exist (x86); every output is checked against ref everywhere.
#if defined(__aarch64__)
inline constexpr bool kOnednnHasJitKernels = false;
#else
inline constexpr bool kOnednnHasJitKernels = true;
#endif

// oneDNN falls back to reference kernels (tens of times slower) for layouts or fusions its fast
// kernels do not take; that must not happen on the paths Stride relies on, where it has fast ones.
inline bool is_reference_kernel(const OnednnStepInfo& step) {
  return kOnednnHasJitKernels && onednn::is_reference_step(step.primitive, step.implementation);
}

}  // namespace stride::testing
