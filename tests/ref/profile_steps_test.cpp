// The ref plan's steps as `stride bench --explain` and `--profile` see them: one per node, in the
// order they run, each timed on its own, and profiling leaves the plan's results as they were.
#include <gtest/gtest.h>

#include "graph_maker.h"
#include "stride/engine/ref/ref_backend.h"
#include "tensor_compare.h"

namespace stride::testing {
namespace {

Graph three_nodes() {
  GraphMaker g;
  const auto x = g.input("x", {2, 8});
  const auto y = g.node("Relu", "y", {x});
  const auto z = g.node("Sigmoid", "z", {y});
  g.node("Add", "out", {y, z});
  return g.output("out").graph();
}

TEST(RefProfileSteps, TimesEveryNodeOfEveryRunInOrder) {
  const auto plan = RefBackend().compile_plan(three_nodes(), {});
  ASSERT_EQ(plan->steps().size(), 3u);
  EXPECT_EQ(plan->steps()[1].name, "z");
  const TensorMap inputs = signed_random_inputs(three_nodes(), {});
  const StepTimeline timeline = plan->profile_steps(inputs, 4);
  ASSERT_EQ(timeline.runs().size(), 4u);
  const std::vector<double> spans = timeline.run_span_ms();
  for (size_t r = 0; r < timeline.runs().size(); ++r) {
    const auto& run = timeline.runs()[r];
    ASSERT_EQ(run.size(), 3u);
    double steps_ms = 0;
    for (size_t i = 0; i < run.size(); ++i) {
      EXPECT_GE(run[i].duration_ns, 0);
      if (i > 0) {
        EXPECT_GE(run[i].start_ns, run[i - 1].start_ns + run[i - 1].duration_ns) << "run " << r;
      }
      steps_ms += static_cast<double>(run[i].duration_ns) / 1e6;
    }
    EXPECT_GE(spans[r], steps_ms - 1e-9);  // a run spans at least its steps
    if (r > 0) {
      EXPECT_GE(run.front().start_ns, timeline.runs()[r - 1].back().start_ns);
    }
  }
  EXPECT_EQ(timeline.mean_step_ms().size(), 3u);
  EXPECT_TRUE(
      close_to(plan->run(inputs).at("out"), RefBackend().compile(three_nodes(), {})->run(inputs).at("out"), 0.0));
}

TEST(StepTimeline, RefusesAStepOutsideARun) {
  StepTimeline timeline(2);
  EXPECT_THROW(timeline.time_step(0, [] {}), Error);
  timeline.start_run();
  EXPECT_THROW(timeline.time_step(2, [] {}), Error);
  timeline.time_step(1, [] {});
  EXPECT_EQ(timeline.runs().size(), 1u);
}

}  // namespace
}  // namespace stride::testing
