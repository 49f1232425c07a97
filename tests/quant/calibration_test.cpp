// The calibrators on data and histograms whose answers are known: min–max is exact, the
// percentile of a uniform ramp is where the ramp says, and the entropy search clips far outliers
// but keeps a bulk it can represent.
#include "stride/quant/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stride/core/error.h"

namespace stride::quant {
namespace {

TEST(TensorStatistics, MinMaxIsExactOverBatchesAndIgnoresNonFiniteValues) {
  TensorStatistics s;
  s.add(std::vector<float>{0.5f, -1.25f, 3.0f});
  s.add(std::vector<float>{NAN, INFINITY, 2.0f, -0.75f});
  EXPECT_EQ(s.min, -1.25);
  EXPECT_EQ(s.max, 3.0);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(calibrate(s, Method::minmax), (Range{-1.25, 3.0}));
}

TEST(AbsHistogram, GrowingRangeReBinsAndKeepsEveryCount) {
  AbsHistogram h(4);
  h.add(std::vector<float>{0.1f, 0.6f, -0.9f, 1.0f});  // range 1: bins of 0.25
  EXPECT_EQ(h.range(), 1.0);
  EXPECT_EQ(h.counts(), (std::vector<double>{1, 0, 1, 2}));
  h.add(std::vector<float>{-2.0f});  // range 2: old bins fold two by two into bins of 0.5
  EXPECT_EQ(h.range(), 2.0);
  EXPECT_EQ(h.counts(), (std::vector<double>{1, 1 + 2, 0, 1}));
  EXPECT_DOUBLE_EQ(h.total(), 5);
}

TEST(AbsHistogram, MergingTwoRunsEqualsOneRunOverBothWhenRangesAgree) {
  AbsHistogram a(8), b(8), both(8);
  const std::vector<float> x = {0.1f, 0.2f, 2.0f}, y = {-0.3f, 1.9f, -1.0f};
  a.add(x);
  b.add(y);
  both.add(x);
  both.add(y);
  a.merge(b);  // b's range 1.9 < 2 is re-binned into a's
  EXPECT_DOUBLE_EQ(a.total(), 6);
  EXPECT_EQ(a.range(), both.range());
  // Re-binning moves mass by less than one bin: the mass below 1.0 is within a bin of the truth.
  double below_a = 0, below_both = 0;
  for (size_t i = 0; i < 4; ++i) below_a += a.counts()[i], below_both += both.counts()[i];
  EXPECT_NEAR(below_a, below_both, 1.0);
}

TEST(PercentileThreshold, OfAUniformRampIsThePercentileOfTheRamp) {
  std::vector<float> ramp;
  for (int i = 1; i <= 100000; ++i) ramp.push_back(static_cast<float>(i) / 100000);  // uniform on (0, 1]
  AbsHistogram h;
  h.add(ramp);
  EXPECT_NEAR(percentile_threshold(h, 99.0), 0.99, h.bin_width());
  EXPECT_NEAR(percentile_threshold(h, 50.0), 0.50, h.bin_width());
  EXPECT_DOUBLE_EQ(percentile_threshold(h, 100.0), 1.0);
}

TEST(PercentileThreshold, DefaultClipsOneOutlierInAMillion) {
  // 1 value in 10^6 is beyond the 99.999th percentile (1 in 10^5): the threshold stays at the bulk.
  std::vector<float> x(1000000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 1000) / 1000.0f - 0.5f;  // |x| ≤ 0.5
  x[123] = -40.0f;
  TensorStatistics s;
  s.add(x);
  const Range r = calibrate(s, Method::percentile);
  EXPECT_LT(r.max, 0.5 + 2 * s.histogram.bin_width());
  EXPECT_GE(r.max, 0.5 - s.histogram.bin_width());
  EXPECT_EQ(r.min, -r.max);  // negative values: symmetric
  EXPECT_EQ(calibrate(s, Method::minmax).min, -40.0);
}

TEST(EntropyThreshold, ClipsFarOutliersAndKeepsTheBulk) {
  // A bulk with fine structure over the first 200 of 2048 bins (range 10: |x| below ~0.98) and a
  // few outliers at 10. Wider thresholds merge bins of the bulk into the 128 levels and lose its
  // structure; a threshold inside the bulk clips too much of it. The best keeps the bulk whole.
  std::vector<double> counts(2048, 0.0);
  for (size_t i = 0; i < 200; ++i) counts[i] = i % 2 ? 1000 : 400;
  counts[2047] = 3;
  const AbsHistogram h(counts, 10.0);
  const double t = entropy_threshold(h, 128);
  EXPECT_GE(t, 190 * h.bin_width());
  EXPECT_LE(t, 260 * h.bin_width());  // far below the outliers at 10
}

TEST(EntropyThreshold, DataWithinTheFirst128BinsIsNotClipped) {
  // 128 bins map one to one onto 128 levels: no loss there, while any wider threshold merges the
  // uneven bins. The answer is the 128th bin's upper edge.
  std::vector<double> counts(2048, 0.0);
  for (size_t i = 0; i < 128; ++i) counts[i] = 1 + static_cast<double>((i * 37) % 11);
  const AbsHistogram h(counts, 16.0);
  EXPECT_DOUBLE_EQ(entropy_threshold(h, 128), 128 * h.bin_width());
}

// GaitSet's silhouettes after resizing: about 71 % exact 0, 19 % exact 1 and 10 % edge values in
// between. Without the zero bin's guard the search kept 0.06-0.1, saturating every foreground
// pixel; with it (and 256 levels for an unsigned range) it keeps what min–max keeps.
TEST(EntropyThreshold, ASilhouettesPointMassesAreNotClipped) {
  std::vector<float> values(7100, 0.0f);
  values.insert(values.end(), 1900, 1.0f);
  for (int i = 1; i <= 1000; ++i) values.push_back(static_cast<float>(i) / 1001.0f);
  TensorStatistics s;
  s.add(values);
  const Range minmax = calibrate(s, Method::minmax);
  EXPECT_GE(calibrate(s, Method::entropy).max, 0.99 * minmax.max);
}

TEST(MseThreshold, OfAUniformDistributionIsItsOptimumNearTheTop) {
  // |x| uniform on [0, R]: E(t) = t³/(12 L² R) + (R - t)³/(3R), whose minimum is at
  // t = R · 2L / (2L + 1) — with L = 127 steps, 0.99608 R, i.e. bin 2040 of 2048.
  const AbsHistogram h(std::vector<double>(2048, 1.0), 2048.0);
  EXPECT_NEAR(mse_threshold(h, 127), 2048.0 * 254.0 / 255.0, 1.0);
  // Twice the steps: rounding costs a quarter, so the optimum moves up to 2L/(2L+1) with L = 255.
  EXPECT_NEAR(mse_threshold(h, 255), 2048.0 * 510.0 / 511.0, 1.0);
}

TEST(MseThreshold, WeighsOneFarOutlierAgainstTheBulksRounding) {
  // N = 10^6 values in the first 100 bins (|x| < 1, bins of 0.01) and one at the last bin's centre
  // c = 20.475. Above the bulk, E(t) = N t²/(12·127²) + (c - t)², minimal at
  // t = 2c / (N/(6·127²) + 2) = 3.320: far below the outlier (min–max would keep 20.48), above the
  // bulk (one outlier's squared error still outweighs a little rounding).
  std::vector<double> counts(2048, 0.0);
  for (size_t i = 0; i < 100; ++i) counts[i] = 10000;
  counts[2047] = 1;
  const AbsHistogram h(counts, 20.48);
  EXPECT_NEAR(mse_threshold(h, 127), 2 * 20.475 / (1e6 / (6.0 * 127 * 127) + 2), 0.011);
}

TEST(Calibrate, NonNegativeActivationsGetARangeFromZero) {
  TensorStatistics s;
  s.add(std::vector<float>{0.0f, 0.25f, 1.0f, 0.5f});
  for (Method m : {Method::percentile, Method::entropy, Method::mse}) {
    const Range r = calibrate(s, m);
    EXPECT_EQ(r.min, 0.0) << method_name(m);
    EXPECT_GT(r.max, 0.0) << method_name(m);
    EXPECT_LE(r.max, 1.0) << method_name(m);
  }
}

TEST(Calibrate, MethodNamesParseAndUnknownOnesAreRefused) {
  for (Method m : {Method::minmax, Method::percentile, Method::entropy, Method::mse})
    EXPECT_EQ(parse_method(method_name(m)), m);
  EXPECT_THROW(parse_method("kl"), Error);
}

}  // namespace
}  // namespace stride::quant
