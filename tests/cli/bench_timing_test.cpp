// `stride bench`'s timing protocol as the user sets it: the spread and load beside every median,
// --duration instead of --runs, and --pin.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sched.h>

#include <nlohmann/json.hpp>
#include <string>

#include "stride/core/atomic_file.h"
#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

class BenchTiming : public CommandTest {
 protected:
  Outcome bench(const std::vector<std::string>& more) const {
    const std::string model = save(build_model("cnn2d", {.classes = 10, .width_mult = 0.125}), "m.onnx");
    std::vector<std::string> args = {"bench",    model, "--backend", "onednn", "--batch", "1",
                                     "--warmup", "1",   "--energy",  "none",   "--json",  path("r.json")};
    args.insert(args.end(), more.begin(), more.end());
    return run_stride(args);
  }
  nlohmann::json results() const { return nlohmann::json::parse(read_file(path("r.json"))); }
};

int usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof set, &set);
  return CPU_COUNT(&set);
}

TEST_F(BenchTiming, EveryMedianComesWithItsSpreadAndTheLoadAroundIt) {
  const Outcome o = bench({"--runs", "6"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("CV %"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("p90/med"), std::string::npos) << o.output;
  const auto r = results();
  const auto& latency = r["batches"][0]["backends"][0]["latency"];
  EXPECT_NEAR(latency["cv"].get<double>(), latency["stddev_ms"].get<double>() / latency["mean_ms"].get<double>(),
              1e-12);
  EXPECT_NEAR(latency["p90_over_median"].get<double>(),
              latency["p90_ms"].get<double>() / latency["median_ms"].get<double>(), 1e-12);
  const auto& load = r["batches"][0]["load"];
  for (const char* when : {"before", "after"}) {
    EXPECT_GE(load[when]["load_1min"].get<double>(), 0.0) << load;
    EXPECT_GE(load[when]["own_share"].get<double>(), 0.0) << load;
    EXPECT_LE(load[when]["own_share"].get<double>(), load[when]["load_1min"].get<double>()) << load;
  }
  EXPECT_EQ(r["trust"]["limits"]["max_cv"], 0.10);
  EXPECT_EQ(r["trust"]["limits"]["max_p90_over_median"], 1.25);
  // The one warning line is there exactly when the verdict says so.
  const bool warned = o.output.find("warning: timings not to be trusted") != std::string::npos;
  EXPECT_EQ(warned, r["trust"]["busy"].get<bool>() || r["trust"]["wide_spread"].get<bool>()) << o.output;
  EXPECT_EQ(warned, !r["trust"]["warning"].get<std::string>().empty());
}

TEST_F(BenchTiming, DurationRunsUntilTheTimeIsUpAndReportsTheRunsMade) {
  const Outcome o = bench({"--duration", "0.2"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const auto r = results();
  EXPECT_EQ(r["protocol"]["duration_seconds"], 0.2);
  EXPECT_FALSE(r["protocol"].contains("runs"));
  const int runs = r["batches"][0]["runs"];
  EXPECT_GE(runs, 5);
  EXPECT_EQ(r["batches"][0]["backends"][0]["latency"]["runs"], runs);
  EXPECT_NE(o.output.find(fmt::format("timed runs for 0.2 s ({} at batch 1)", runs)), std::string::npos) << o.output;
}

TEST_F(BenchTiming, RunsAndDurationTogetherAreRefused) {
  const Outcome o = bench({"--runs", "5", "--duration", "1"});
  EXPECT_EQ(o.exit_code, kUsage) << o.output;
  EXPECT_NE(o.output.find("--duration"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("--runs"), std::string::npos) << o.output;
}

TEST_F(BenchTiming, PinKeepsTheProcessOnTheFirstCores) {
  const Outcome o = bench({"--runs", "2", "--threads", "1", "--pin"});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const auto cpus = results()["protocol"]["pinned_cpus"];
  ASSERT_EQ(cpus.size(), 1u) << cpus;
  EXPECT_NE(o.output.find(fmt::format("pinned to cores {}", cpus[0].get<int>())), std::string::npos) << o.output;
}

TEST_F(BenchTiming, PinningMoreThreadsThanCoresIsRefused) {
  const int threads = usable_cores() + 1;
  const Outcome o = bench({"--runs", "2", "--threads", std::to_string(threads), "--pin"});
  EXPECT_NE(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find(fmt::format("cannot pin {} threads", threads)), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("median ms"), std::string::npos) << "it timed first: " << o.output;
}

}  // namespace
}  // namespace stride::testing
