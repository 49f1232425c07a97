// --precision auto's rule: the fastest trial within the accuracy bound, FP32 when none is.
#include "stride/quant/precision_choice.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"

namespace stride::quant {
namespace {

const std::vector<PrecisionTrial> kTrials{
    {"fp32", 60.0, 10.0}, {"fp16", 60.0, 10.5}, {"bf16", 59.5, 4.0}, {"int8", 57.0, 2.0}};

TEST(PrecisionChoice, FastestWithinTheBound) {
  EXPECT_EQ(kTrials[choose_precision(kTrials, 60.0, 1.0)].precision, "bf16");  // int8 loses 3 points
  EXPECT_EQ(kTrials[choose_precision(kTrials, 60.0, 3.0)].precision, "int8");  // the bound is inclusive
  EXPECT_EQ(kTrials[choose_precision(kTrials, 60.0, 0.0)].precision, "fp32");  // fp16 is slower, bf16 loses 0.5
}

TEST(PrecisionChoice, AGainInAccuracyIsNoDrop) {
  std::vector<PrecisionTrial> trials = kTrials;
  trials[3].accuracy = 61.0;
  EXPECT_EQ(trials[choose_precision(trials, 60.0, 0.0)].precision, "int8");
}

TEST(PrecisionChoice, Fp32WhenNothingElseIsFasterOrCloseEnough) {
  const std::vector<PrecisionTrial> trials{{"fp32", 60.0, 3.0}, {"bf16", 59.9, 4.0}, {"int8", 40.0, 1.0}};
  EXPECT_EQ(choose_precision(trials, 60.0, 1.0), 0u);
}

TEST(PrecisionChoice, Refusals) {
  EXPECT_THROW(choose_precision({}, 60.0, 1.0), Error);
  EXPECT_THROW(choose_precision(kTrials, 60.0, -1.0), Error);
}

}  // namespace
}  // namespace stride::quant
