#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/measure/latency_stats.h"
#include "stride/measure/machine_info.h"

namespace stride {
namespace {

TEST(LatencyStats, MatchesHandComputedValues) {
  // Samples 1..10 (shuffled): mean 5.5, median 5.5, p90 = 1 + 0.9*9 = 9.1, p99 = 9.91.
  const LatencyStats s = latency_stats({3, 1, 2, 10, 4, 5, 9, 6, 8, 7});
  EXPECT_EQ(s.runs, 10);
  EXPECT_DOUBLE_EQ(s.mean_ms, 5.5);
  EXPECT_DOUBLE_EQ(s.median_ms, 5.5);
  EXPECT_NEAR(s.p90_ms, 9.1, 1e-12);
  EXPECT_NEAR(s.p99_ms, 9.91, 1e-12);
  EXPECT_EQ(s.min_ms, 1);
  EXPECT_EQ(s.max_ms, 10);
  EXPECT_NEAR(s.stddev_ms, 2.8722813232690143, 1e-12);
  EXPECT_THROW(latency_stats({}), Error);
}

TEST(MachineInfo, DescribesThisMachine) {
  const MachineInfo m = machine_info();
  EXPECT_GE(m.logical_cores, 1);
  EXPECT_FALSE(m.cpu_model.empty());
  EXPECT_GT(peak_rss_bytes(), 1 << 20);
  EXPECT_EQ(utc_timestamp().size(), 20u);
}

}  // namespace
}  // namespace stride
