// Versions of one model timed in turn: one result per model with every timed run, and models with
// other inputs refused (their times would not be comparable).
#include "stride/measure/model_race.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/engine/ref/ref_backend.h"

namespace stride {
namespace {

Graph relu_model(const std::string& name, int64_t width) {
  Graph g;
  g.name = name;
  g.inputs = {{"x", DType::f32, {-1, width}}};
  g.outputs = {{"y", DType::f32, {-1, width}}};
  g.nodes = {{"relu", "Relu", {"x"}, {"y"}, {}}};
  return g;
}

TEST(ModelRace, OneTimingPerModelWithEveryRun) {
  const Graph a = relu_model("a", 64), b = relu_model("b", 64);
  const RefBackend ref;
  const std::vector<LatencyStats> stats = race_models({&a, &b, &a}, ref, {.batch = 4, .warmup = 1, .runs = 5});
  ASSERT_EQ(stats.size(), 3u);
  for (const LatencyStats& s : stats) {
    EXPECT_EQ(s.runs, 5);
    EXPECT_GE(s.median_ms, 0.0);
    EXPECT_LE(s.min_ms, s.median_ms);
  }
}

TEST(ModelRace, RefusesModelsWithOtherInputsAndEmptyRaces) {
  const Graph a = relu_model("a", 64), b = relu_model("b", 32);
  const RefBackend ref;
  EXPECT_THROW(race_models({&a, &b}, ref, {}), Error);
  EXPECT_THROW(race_models({&a}, ref, {.batch = 0}), Error);
  EXPECT_THROW(race_models({&a}, ref, {.runs = 0}), Error);
  EXPECT_TRUE(race_models({}, ref, {}).empty());
}

}  // namespace
}  // namespace stride
