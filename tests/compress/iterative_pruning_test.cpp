// Pruning in steps (compress/iterative_pruning.h): each step's share of what is left, so that step k
// of K has removed k/K of the requested ratio, checked by hand and on a zoo model.
#include "stride/compress/iterative_pruning.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "stride/zoo/zoo.h"

namespace stride::compress {
namespace {

Graph small_cnn2d() {
  ZooOptions options;
  options.width_mult = 0.25;
  options.classes = 5;
  return build_model("cnn2d", options);
}

TEST(StepRatio, EachStepTakesItsShareOfWhatIsLeft) {
  // 30 % of 100 filters in three steps: 10 of all, then 10 of the 90 left, then 10 of the 80 left.
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 1, 3, 100, 100), 0.1);
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 2, 3, 100, 90), 0.1 / 0.9);
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 3, 3, 100, 80), 0.1 / 0.8);
  EXPECT_DOUBLE_EQ(step_ratio(0.5, 1, 1, 100, 100), 0.5);
}

TEST(StepRatio, AStepMakesUpWhatTheStepsBeforeItFellShortOf) {
  // Step 2 of 3 at 30 %: 20 of 100 should be gone; step 1 removed none (10 asked), so 20 of 100.
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 2, 3, 100, 100), 0.2);
  // A step that removed more than its share leaves the next one nothing to do.
  EXPECT_DOUBLE_EQ(step_ratio(0.3, 2, 3, 100, 75), 0.0);
}

TEST(StepRatio, GeometricStepsEachKeepTheSameShareOfWhatIsLeft) {
  // 4 steps keeping 0.9 each: 1 − 0.9^4 of 1000 in all, 10 % of what is left at every step.
  const double whole = 1 - std::pow(0.9, 4);
  EXPECT_NEAR(step_ratio(whole, 1, 4, 1000, 1000, StepRule::geometric), 0.1, 1e-12);
  EXPECT_NEAR(step_ratio(whole, 2, 4, 1000, 900, StepRule::geometric), 0.1, 1e-12);
  EXPECT_NEAR(step_ratio(whole, 4, 4, 1000, 729, StepRule::geometric), 0.1, 1e-12);
  // A step that fell short (950 left instead of 900 after step 2) is made up at step 3.
  EXPECT_NEAR(step_ratio(whole, 3, 4, 1000, 950, StepRule::geometric), 1 - 729.0 / 950, 1e-12);
}

Graph small_gaitset() {
  ZooOptions options;
  options.width_mult = 0.25;
  options.frames = 4;
  return build_model("gaitset", options);
}

IterativePruneResult prune_in_steps(const Graph& original, double ratio, int steps) {
  IterativePruning request;
  request.options.selection.ratio = ratio;
  request.steps = steps;
  request.allow_short = true;  // the figure is the test, not the refusal
  return prune_iteratively(original, request);
}

// K steps reach what one step does, to within what the threshold takes at once: filters are whole,
// so each of many small steps used to round down to nothing (GaitSet: 0 % at 100 steps of 30 %;
// cnn2d: 29.9 % at 1 step, 27.4 % at 30).
void expect_steps_reach_one_step(const Graph& original, int steps) {
  const double once = prune_in_steps(original, 0.3, 1).overall.real;
  const IterativePruneResult r = prune_in_steps(original, 0.3, steps);
  EXPECT_GE(r.overall.real, once - double(r.overall.granularity) / double(r.overall.filters)) << once;
  // One history entry for the whole prune, not one per step (100 of them grew the file by 31 %).
  EXPECT_EQ(nlohmann::json::parse(r.model.metadata.at("stride.pruning")).size(), 1u);
}

TEST(PruneIteratively, ManySmallStepsReachWhatOneStepDoes) { expect_steps_reach_one_step(small_gaitset(), 100); }

TEST(PruneIteratively, ThirtyStepsOnCnn2dReachWhatOneStepDoes) { expect_steps_reach_one_step(small_cnn2d(), 30); }

// A promised ratio (--max-layer-ratio) the model cannot give fails with both figures.
TEST(PruneIteratively, RefusesARatioTheLayerLimitCannotMeet) {
  IterativePruning request;
  request.options.selection.ratio = 0.9;
  request.options.selection.max_layer_ratio = 0.1;
  try {
    prune_iteratively(small_cnn2d(), request);
    FAIL() << "an unmet ratio was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("90.0 % requested (--allow-short accepts it)"), std::string::npos) << e.what();
  }
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
