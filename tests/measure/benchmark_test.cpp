#include <gtest/gtest.h>

#include "stride/engine/ref/ref_backend.h"
#include "stride/measure/benchmark.h"

namespace stride {
namespace {

// x [?,4] -> Relu feature -> Relu probabilities: a model with a "head" after its feature.
Graph model_with_head() {
  Graph g;
  g.name = "tiny";
  g.inputs = {{"x", DType::f32, {-1, 4}}};
  g.outputs = {{"feature", DType::f32, {-1, 4}}, {"probabilities", DType::f32, {-1, 4}}};
  g.nodes = {{"fe", "Relu", {"x"}, {"feature"}, {}}, {"head", "Relu", {"feature"}, {"probabilities"}, {}}};
  g.metadata["stride.feature_output"] = "feature";
  return g;
}

TEST(Benchmark, FollowsTheProtocolForEveryBatchAndBackend) {
  const RefBackend a, b;
  BenchConfig config;
  config.batches = {1, 3};
  config.warmup = 2;
  config.runs = 4;
  int progress_calls = 0;
  const BenchReport r = run_benchmark(model_with_head(), {&a, &b}, config, [&](const std::string&) { ++progress_calls; });
  ASSERT_EQ(r.batches.size(), 2u);
  EXPECT_EQ(progress_calls, 4);  // warm-up and timing, per batch
  for (const auto& batch : r.batches) {
    ASSERT_EQ(batch.backends.size(), 2u);
    for (const auto& t : batch.backends) {
      EXPECT_EQ(t.whole.runs, 4);
      EXPECT_LE(t.whole.min_ms, t.whole.median_ms);
      EXPECT_LE(t.whole.median_ms, t.whole.max_ms);
      ASSERT_TRUE(t.feature_extractor && t.head);
      EXPECT_EQ(t.feature_extractor->runs, 4);
      EXPECT_DOUBLE_EQ(t.ms_per_sample, t.whole.median_ms / static_cast<double>(batch.batch));
    }
    ASSERT_TRUE(batch.speedup && batch.max_relative_error);
    EXPECT_EQ(*batch.max_relative_error, 0.0);  // same backend, same inputs
  }
  const auto j = to_json(r);
  EXPECT_EQ(j["batches"][1]["batch"], 3);
  EXPECT_EQ(j["backends"], nlohmann::json::array({"ref", "ref"}));
  EXPECT_FALSE(j.contains("machine")) << "the results' header says it";
}

TEST(Benchmark, RefusesBadSettingsClearly) {
  const RefBackend a;
  BenchConfig config;
  config.batches = {0};
  EXPECT_THROW(run_benchmark(model_with_head(), {&a}, config), Error);
  config.batches = {1};
  config.runs = 0;
  EXPECT_THROW(run_benchmark(model_with_head(), {&a}, config), Error);
  Graph unknown = model_with_head();
  unknown.nodes[0].op_type = "Frobnicate";
  config.runs = 1;
  try {
    run_benchmark(unknown, {&a}, config);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Frobnicate"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace stride
