#include "stride/core/units.h"

#include <gtest/gtest.h>

namespace stride {
namespace {

TEST(Units, ModelCostIsInMacs) {
  EXPECT_DOUBLE_EQ(units::gmac(1013861120), 1.01386112);
  EXPECT_EQ(units::format_macs(1013861120), "1.01 GMAC");
  EXPECT_EQ(units::format_macs(6.52e9), "6.52 GMAC");
  EXPECT_EQ(units::format_macs(12'300'000), "0.0123 GMAC");
}

TEST(Units, SpeedCountsAMacAsTwoFlops) {
  // 1 GMAC in 10 ms: 2 GFLOP in 0.01 s.
  EXPECT_DOUBLE_EQ(units::gflop_per_second(1e9, 0.01), 200.0);
}

TEST(Units, SizesAreInMib) {
  EXPECT_DOUBLE_EQ(units::mib(3 << 20), 3.0);
  EXPECT_EQ(units::format_mib(1.5 * (1 << 20)), "1.5 MiB");
  EXPECT_EQ(units::format_mib(10'000'000, 2), "9.54 MiB");
}

TEST(Units, OneSpellingOfTheEnergyDelayProduct) { EXPECT_STREQ(units::kEdp, "mJ·ms"); }

}  // namespace
}  // namespace stride
