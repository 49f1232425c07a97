// Pruning in steps (compress/iterative_pruning.h): each step's share of what is left, so that step k
// of K has removed k/K of the requested ratio, checked by hand and on a zoo model.
#include "stride/compress/iterative_pruning.h"

#include <gtest/gtest.h>

#include "stride/zoo/zoo.h"

namespace stride::compress {
namespace {

TEST(StepRatio, EachStepTakesItsShareOfWhatIsLeft) {
  // 30 % in three steps: 10 % of all, then 10 of the 90 left, then 10 of the 80 left.
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 1, 3), 0.1);
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 2, 3), 0.1 / 0.9);
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 3, 3), 0.1 / 0.8);
  EXPECT_DOUBLE_EQ(step_ratio(0.5, 1, 1), 0.5);
}

Graph small_cnn2d() {
  ZooOptions options;
  options.width_mult = 0.25;
  options.classes = 5;
  return build_model("cnn2d", options);
}

TEST(PruneIteratively, StepsReportAndRecoverAndMeetTheWholeRatio) {
  const Graph original = small_cnn2d();
  IterativePruning request;
  request.options.selection.ratio = 0.3;
  request.steps = 3;
  std::vector<std::string> lines;
  request.report = [&](const std::string& line) { lines.push_back(line); };
  int recovered = 0;
  request.after_step = [&](const Graph& m) {
    ++recovered;
    return m;
  };
  const IterativePruneResult r = prune_iteratively(original, request);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("step 1/3: l1 criterion, 10.0 % of the remaining filters requested", 0), 0u) << lines[0];
  EXPECT_EQ(recovered, 3);
  EXPECT_DOUBLE_EQ(r.overall.requested, 0.3);
  EXPECT_NEAR(r.overall.real, 0.3, 0.06);  // filters are whole: near, not exact, on a small model
  int64_t before = 0, after = 0;
  for (const LayerSelection& l : r.overall.layers) before += l.before, after += l.after;
  EXPECT_LT(after, before);
}

TEST(PruneIteratively, RefusesZeroStepsAndActivationWithoutSamples) {
  const Graph original = small_cnn2d();
  IterativePruning request;
  request.options.selection.ratio = 0.3;
  request.steps = 0;
  EXPECT_THROW(prune_iteratively(original, request), Error);
  request.steps = 1;
  request.options.criterion = Criterion::activation;
  EXPECT_THROW(prune_iteratively(original, request), Error);
}

}  // namespace
}  // namespace stride::compress
