#include "stride/gallery/open_set_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gallery_test_support.h"

namespace stride::gallery {
namespace {

Search non_mated(std::vector<Candidate> candidates) { return {"", std::move(candidates)}; }

// Five non-mated searches, top-1 scores 0.9, 0.7, 0.5, 0.3 and one without any candidate.
const std::vector<Search> kNonMated{non_mated({{"a", 0.9}, {"b", 0.2}}), non_mated({{"b", 0.7}}),
                                    non_mated({{"c", 0.5}, {"a", 0.45}}), non_mated({{"a", 0.3}}), non_mated({})};
// Four mated searches: the mate first at 0.8; second behind another; first at 0.4; second behind 0.9.
const std::vector<Search> kMated{{"a", {{"a", 0.8}, {"b", 0.3}}},
                                 {"b", {{"a", 0.6}, {"b", 0.55}}},
                                 {"c", {{"c", 0.4}}},
                                 {"a", {{"c", 0.9}, {"a", 0.85}}}};

TEST(OpenSetMetrics, FpirIsTheShareOfNonMatedSearchesWithATopScoreAtTheThreshold) {
  EXPECT_DOUBLE_EQ(fpir(kNonMated, 0.6), 2.0 / 5);
  EXPECT_DOUBLE_EQ(fpir(kNonMated, 0.5), 3.0 / 5);  // at the threshold counts
  EXPECT_DOUBLE_EQ(fpir(kNonMated, 0.95), 0);
  EXPECT_DOUBLE_EQ(fpir(kNonMated, -1), 4.0 / 5);  // the search without candidates never counts
}

TEST(OpenSetMetrics, FnirCountsMatesNotFirstOrBelowTheThreshold) {
  EXPECT_DOUBLE_EQ(fnir(kMated, 0.5), 3.0 / 4);  // only the first search
  EXPECT_DOUBLE_EQ(fnir(kMated, 0.3), 2.0 / 4);  // the first and third
  EXPECT_DOUBLE_EQ(fnir(kMated, 0.81), 1.0);
  EXPECT_DOUBLE_EQ(closed_set_rank1(kMated), 2.0 / 4);
}

TEST(OpenSetMetrics, TheThresholdForATargetFpirLiesJustAboveTheAllowedFalsePositives) {
  const double one_allowed = threshold_for_fpir(kNonMated, 0.2);  // ⌊0.2 · 5⌋ = 1 false positive
  EXPECT_GT(one_allowed, 0.7);
  EXPECT_EQ(one_allowed, std::nextafter(0.7, 1.0));
  EXPECT_DOUBLE_EQ(fpir(kNonMated, one_allowed), 0.2);
  EXPECT_EQ(threshold_for_fpir(kNonMated, 0.1), std::nextafter(0.9, 1.0));     // ⌊0.5⌋ = 0
  EXPECT_DOUBLE_EQ(fpir(kNonMated, threshold_for_fpir(kNonMated, 0.5)), 0.4);  // ⌊2.5⌋ = 2
  expect_one_line_error([] { threshold_for_fpir({}, 0.1); }, "needs non-mated searches");
  expect_one_line_error([] { threshold_for_fpir(kNonMated, 1.5); }, "between 0 and 1");
}

TEST(OpenSetMetrics, DirAtFpirSetsTheThresholdOnCalibrationSearchesAndSaysWhenItCannot) {
  const std::vector<Search> evaluation{non_mated({{"a", 0.75}}), non_mated({{"b", 0.1}})};
  const DirAtFpir at20 = dir_at_fpir(kMated, kNonMated, evaluation, 0.2);
  EXPECT_TRUE(at20.measurable);
  EXPECT_EQ(at20.threshold, std::nextafter(0.7, 1.0));
  EXPECT_DOUBLE_EQ(at20.dir, 1.0 / 4);  // only the mate at 0.8
  EXPECT_DOUBLE_EQ(at20.fpir, 1.0 / 2);
  // Five calibration searches cannot set a threshold for 10 %: fewer than 1 / 0.1.
  EXPECT_FALSE(dir_at_fpir(kMated, kNonMated, evaluation, 0.1).measurable);
}

}  // namespace
}  // namespace stride::gallery
