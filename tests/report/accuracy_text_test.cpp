#include <gtest/gtest.h>

#include "stride/report/accuracy_text.h"
#include "stride/report/wilson_interval.h"

namespace stride {
namespace {

// Values worked by hand from the Wilson formula with z = 1.96:
// centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²).
TEST(WilsonInterval, MatchesHandComputedValues) {
  const Interval i = wilson_interval(8, 10);
  EXPECT_NEAR(i.low, 0.4902, 1e-4);
  EXPECT_NEAR(i.high, 0.9433, 1e-4);
  const Interval j = wilson_interval(24, 32);
  EXPECT_NEAR(j.low, 0.5789, 1e-4);
  EXPECT_NEAR(j.high, 0.8675, 1e-4);
}

TEST(WilsonInterval, StaysInsideZeroAndOneAtTheEdges) {
  const Interval none = wilson_interval(0, 10);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.2775, 1e-4);
  const Interval all = wilson_interval(10, 10);
  EXPECT_NEAR(all.low, 0.7225, 1e-4);
  EXPECT_EQ(all.high, 1.0);
}

TEST(WilsonInterval, NarrowsWithMoreProbesAndWidensWithZ) {
  const Interval few = wilson_interval(8, 10), many = wilson_interval(800, 1000);
  EXPECT_LT(many.high - many.low, few.high - few.low);
  const Interval wide = wilson_interval(8, 10, 2.576);
  EXPECT_LT(wide.low, few.low);
  EXPECT_GT(wide.high, few.high);
}

TEST(WilsonInterval, NoProbesSaysNothing) {
  const Interval i = wilson_interval(0, 0);
  EXPECT_EQ(i.low, 0.0);
  EXPECT_EQ(i.high, 1.0);
}

TEST(AccuracyText, GivesProbesAndInterval) {
  EXPECT_EQ(accuracy_text(24, 32), "75.00 % (24/32 probes; 95 % CI 57.9–86.7)");
  EXPECT_EQ(accuracy_text(0, 10), "0.00 % (0/10 probes; 95 % CI 0.0–27.8)");
  EXPECT_EQ(mean_accuracy_text(80.0, 10), "80.00 % (10 probes; 95 % CI 49.0–94.3)");
  // An activity model judges sensor windows, not probes.
  EXPECT_EQ(accuracy_text(24, 32, "windows"), "75.00 % (24/32 windows; 95 % CI 57.9–86.7)");
  EXPECT_EQ(interval_cell(100.0, 10), "72.2–100.0");
  EXPECT_EQ(interval_cell(50.0, 0), "-");
}

}  // namespace
}  // namespace stride
