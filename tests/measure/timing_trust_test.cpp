// When bench calls its timings untrustworthy: the spread limits, the busy-machine limit, and the
// one line that names what crossed them.
#include "stride/measure/timing_trust.h"

#include <gtest/gtest.h>

namespace stride {
namespace {

BenchReport report_with(const LatencyStats& whole, double load_before, int usable_cores) {
  BenchReport r;
  r.usable_cores = usable_cores;
  BatchResult b;
  b.batch = 4;
  b.load_before = LoadReading{load_before, 0.0};
  BackendTiming t;
  t.backend = "onednn";
  t.whole = whole;
  b.backends.push_back(t);
  r.batches.push_back(b);
  return r;
}

TEST(LatencyStats, GivesTheSpreadAsRatios) {
  const LatencyStats s = latency_stats({3, 1, 2, 10, 4, 5, 9, 6, 8, 7});
  EXPECT_NEAR(s.cv, 2.8722813232690143 / 5.5, 1e-12);
  EXPECT_NEAR(s.p90_over_median, 9.1 / 5.5, 1e-12);
}

TEST(TimingTrust, SpreadLimitsAreCvTenPercentAndP90AQuarterAboveTheMedian) {
  EXPECT_FALSE(spread_too_wide(latency_stats({1.0, 1.0, 1.0, 1.0})));
  EXPECT_TRUE(spread_too_wide(latency_stats({1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0})));  // CV 50 %
  LatencyStats tail;
  tail.cv = 0.05;
  tail.p90_over_median = 1.3;
  EXPECT_TRUE(spread_too_wide(tail));
  tail.p90_over_median = 1.2;
  EXPECT_FALSE(spread_too_wide(tail));
}

TEST(TimingTrust, BusyIsOtherWorksLoadAboveHalfTheUsableCores) {
  EXPECT_FALSE(machine_busy({0.9, 0.0}, 2));
  EXPECT_TRUE(machine_busy({1.1, 0.0}, 2));
  EXPECT_FALSE(machine_busy({1.6, 0.8}, 2));  // this process's own share does not count
}

TEST(TimingTrust, OneLineNamesWhatCrossedTheLimits) {
  EXPECT_EQ(trust_warning(report_with(latency_stats({1.0, 1.0, 1.0}), 0.2, 4)), "");
  const nlohmann::json calm = trust_json(report_with(latency_stats({1.0, 1.0, 1.0}), 0.2, 4));
  EXPECT_FALSE(calm["busy"]);
  EXPECT_FALSE(calm["wide_spread"]);

  const BenchReport bad = report_with(latency_stats({1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0}), 3.5, 4);
  const std::string line = trust_warning(bad);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_NE(line.find("busy before batch 4 (load 3.50"), std::string::npos) << line;
  EXPECT_NE(line.find("half of 4 usable cores"), std::string::npos) << line;
  EXPECT_NE(line.find("spread is too wide at batch 4 onednn (CV 50.0 %"), std::string::npos) << line;
  const nlohmann::json j = trust_json(bad);
  EXPECT_TRUE(j["busy"]);
  EXPECT_TRUE(j["wide_spread"]);
  EXPECT_EQ(j["warning"], line);
}

}  // namespace
}  // namespace stride
