#include "stride/data/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace stride::data {
namespace {

TEST(Rng, DrawsTheReferenceSplitmix64Sequence) {
  // First outputs of the reference splitmix64 (Vigna) started from state 0.
  Rng rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(rng.next(), 0x06C45D188009454Full);
  EXPECT_EQ(mix64(0), 0xE220A8397B1DCDAFull);
}

TEST(Rng, StreamsDependOnEveryKey) {
  EXPECT_EQ(derive_seed(1, {2, 3}), derive_seed(1, {2, 3}));
  EXPECT_NE(derive_seed(1, {2, 3}), derive_seed(1, {3, 2}));
  EXPECT_NE(derive_seed(1, {2, 3}), derive_seed(2, {2, 3}));
  EXPECT_NE(derive_seed(1, {2}), derive_seed(1, {2, 0}));
}

TEST(Rng, DistributionsHaveTheirMoments) {
  Rng rng(42);
  constexpr int kDraws = 100000;
  double sum = 0, sum_sq = 0, lo = 1, hi = 0, g_sum = 0, g_sq = 0, g_max = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = rng.uniform();
    sum += u;
    sum_sq += u * u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    const double g = rng.gaussian(3.0, 2.0);
    g_sum += g;
    g_sq += (g - 3.0) * (g - 3.0);
    g_max = std::max(g_max, std::abs(g - 3.0));
  }
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_NEAR(sum / kDraws, 0.5, 0.005);
  EXPECT_NEAR(sum_sq / kDraws - 0.25, 1.0 / 12.0, 0.002);  // variance of U(0, 1)
  EXPECT_NEAR(g_sum / kDraws, 3.0, 0.03);
  EXPECT_NEAR(std::sqrt(g_sq / kDraws), 2.0, 0.03);
  EXPECT_LE(g_max, 2.0 * 3.4642);  // the sum of four uniforms is bounded
  for (int i = 0; i < 1000; ++i) {
    const int k = rng.below(7);
    EXPECT_TRUE(k >= 0 && k < 7);
  }
}

}  // namespace
}  // namespace stride::data
