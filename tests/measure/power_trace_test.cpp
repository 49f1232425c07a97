// Integration of a sampled power curve over a window: exact for the piecewise-linear curve through
// the samples, with the partial intervals at both ends interpolated.
#include "stride/measure/power_trace.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"

namespace stride {
namespace {

// p(t) = 10 + 10 t at t = 0..3, with spikes at t = -1 and t = 4 just outside.
PowerTrace ramp_with_spikes() {
  PowerTrace trace;
  trace.add(-1, 1000);
  for (int t = 0; t <= 3; ++t) trace.add(t, 10 + 10 * t);
  trace.add(4, 1000);
  return trace;
}

TEST(PowerTrace, IntegratesExactlyOverTheWindowInterpolatingItsEnds) {
  const PowerTrace trace = ramp_with_spikes();
  // ∫ from 0.5 to 2.5 of (10 + 10 t) dt = [10 t + 5 t²] = 56.25 - 6.25 = 50 J.
  EXPECT_NEAR(trace.energy(0.5, 2.5), 50.0, 1e-12);
  // Whole intervals only: ∫ from 1 to 2 = 25 J.
  EXPECT_NEAR(trace.energy(1, 2), 25.0, 1e-12);
  // Inside one interval: ∫ from 1.25 to 1.75 = 0.5 s × p(1.5) = 0.5 × 25 = 12.5 J.
  EXPECT_NEAR(trace.energy(1.25, 1.75), 12.5, 1e-12);
  EXPECT_EQ(trace.energy(2, 2), 0.0);
}

TEST(PowerTrace, SamplesOutsideTheWindowDoNotCount) {
  const PowerTrace trace = ramp_with_spikes();
  // The spikes at -1 and 4 lie beyond the neighbours of the window's ends: no effect.
  EXPECT_NEAR(trace.energy(0, 3), 75.0, 1e-12);
  EXPECT_EQ(trace.peak(0, 3), 40.0);
  // Peak: the samples inside (20, 30) and the interpolated ends (15, 35).
  EXPECT_EQ(trace.peak(0.5, 2.5), 35.0);
  EXPECT_EQ(trace.peak(1.2, 1.8), 28.0);
}

TEST(PowerTrace, RefusesWindowsItDoesNotCover) {
  const PowerTrace trace = ramp_with_spikes();
  EXPECT_FALSE(trace.covers(-2, 1));
  EXPECT_FALSE(trace.covers(3, 4.5));
  EXPECT_TRUE(trace.covers(-1, 4));
  EXPECT_THROW(trace.energy(3, 5), Error);
  PowerTrace backwards;
  backwards.add(1, 1);
  EXPECT_THROW(backwards.add(0.5, 1), Error);
}

TEST(PowerTrace, DiscardingKeepsWhatLaterWindowsNeed) {
  PowerTrace trace = ramp_with_spikes();
  trace.discard_before(1.5);
  EXPECT_EQ(trace.samples().front().t, 1.0);  // still interpolates at 1.5
  EXPECT_NEAR(trace.energy(1.5, 2.5), 30.0, 1e-12);
}

}  // namespace
}  // namespace stride
