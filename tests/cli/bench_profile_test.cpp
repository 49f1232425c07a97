// `stride bench --profile`: a Chrome trace with one complete event per plan step and profiled run,
// on each engine that has steps (onednn, xnnpack, ref), checked against the format's rules and
// against the steps --explain reports for the same plan.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "stride/core/atomic_file.h"
#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

constexpr int kRuns = 3;

class BenchProfile : public CommandTest, public ::testing::WithParamInterface<std::string> {
 protected:
  Outcome profile() const {
    const std::string model = save(build_model("cnn2d", {.classes = 10, .width_mult = 0.125}), "m.onnx");
    return run_stride({"bench", model, "--backend", GetParam(), "--batch", "1,2", "--warmup", "1", "--runs",
                       std::to_string(kRuns), "--energy", "none", "--explain", "--json", path("bench.json"),
                       "--profile", path("trace.json")});
  }
};

TEST_P(BenchProfile, WritesOneCompleteEventPerStepAndRun) {
  const Outcome o = profile();
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const auto trace = nlohmann::json::parse(read_file(path("trace.json")));
  const auto bench = nlohmann::json::parse(read_file(path("bench.json")));

  ASSERT_TRUE(trace.contains("traceEvents") && trace["traceEvents"].is_array()) << trace.dump(1);
  EXPECT_EQ(trace["displayTimeUnit"], "ms");
  EXPECT_EQ(trace["otherData"]["backend"], GetParam());
  std::map<int64_t, int> events_per_batch;
  // (batch, run) → the run's spans in the order of their steps
  std::map<std::pair<int64_t, int64_t>, std::vector<std::pair<double, double>>> runs;
  for (const auto& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("name") && e["name"].is_string() && !e["name"].get<std::string>().empty()) << e;
    ASSERT_EQ(e["ph"], "X") << e;
    ASSERT_TRUE(e["ts"].is_number() && e["dur"].is_number()) << e;
    EXPECT_GE(e["ts"].get<double>(), 0.0) << e;
    EXPECT_GE(e["dur"].get<double>(), 0.0) << e;
    ASSERT_TRUE(e["pid"].is_number_integer() && e["tid"].is_number_integer()) << e;
    EXPECT_TRUE(e["cat"].is_string()) << e;
    const auto& args = e["args"];
    EXPECT_EQ(args["backend"], GetParam()) << e;
    EXPECT_TRUE(args["op"].is_string() && args["kernel"].is_string()) << e;
    EXPECT_TRUE(args["input_shapes"].is_array() && args["output_shapes"].is_array()) << e;
    EXPECT_EQ(e["tid"], args["batch"]) << e;
    ++events_per_batch[args["batch"].get<int64_t>()];
    runs[{args["batch"], args["run"]}].emplace_back(e["ts"].get<double>(), e["dur"].get<double>());
  }

  // One event per step --explain lists, per profiled run, at each batch size.
  ASSERT_EQ(bench["explain"].size(), 2u);
  for (const auto& explained : bench["explain"]) {
    const auto steps = static_cast<int>(explained["steps"].size());
    ASSERT_GT(steps, 0);
    EXPECT_EQ(events_per_batch[explained["batch"].get<int64_t>()], steps * kRuns) << "batch " << explained["batch"];
    EXPECT_NE(o.output.find(fmt::format("plan at batch {}: {} steps", explained["batch"].get<int64_t>(), steps)),
              std::string::npos)
        << o.output;
  }
  // The steps of a run follow one another on their track: none starts before the one before it ended
  // (1 ns of slack for the conversion of whole nanoseconds to microseconds).
  EXPECT_EQ(runs.size(), 2u * kRuns);
  for (const auto& [key, spans] : runs)
    for (size_t i = 1; i < spans.size(); ++i)
      EXPECT_GE(spans[i].first, spans[i - 1].first + spans[i - 1].second - 1e-3)
          << "batch " << key.first << " run " << key.second << " step " << i;
}

TEST_P(BenchProfile, ExplainAccountsForTheWholeModelsTime) {
  const Outcome o = profile();
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("whole model median"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("between steps ("), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("outside the steps"), std::string::npos) << o.output;
  const auto bench = nlohmann::json::parse(read_file(path("bench.json")));
  for (const auto& e : bench["explain"]) {
    const double median =
        bench["batches"][e["batch"].get<int64_t>() == 1 ? 0 : 1]["backends"][0]["latency"]["median_ms"];
    EXPECT_DOUBLE_EQ(e["whole_median_ms"].get<double>(), median);
    EXPECT_NEAR(e["whole_minus_steps_ms"].get<double>(), median - e["total_ms"].get<double>(), 1e-9);
    // A run spans at least its steps: the gap between them cannot be negative.
    EXPECT_GE(e["between_steps_ms"].get<double>(), -1e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, BenchProfile, ::testing::Values("onednn", "xnnpack", "ref"));

}  // namespace
}  // namespace stride::testing
