// Ratios allocated by sensitivity: a common bound on each group's accuracy drop, the least that
// removes the requested share of filters, checked against values worked out by hand.
#include "stride/compress/sensitivity_allocation.h"

#include <gtest/gtest.h>

#include "stride/core/usage_error.h"

namespace stride::compress {
namespace {

// Two groups of 10 and 30 filters, unpruned accuracy 90: a loses 0, 1, 5 points at 20, 40, 60 %;
// b loses 2, 4, 8.
Sensitivity two_groups() {
  Sensitivity s;
  s.baseline = 90;
  s.curves.push_back({0, "a/Conv", 10, {0.2, 0.4, 0.6}, {}, {90, 89, 85}});
  s.curves.push_back({1, "b[1]/Conv + c/Conv", 30, {0.2, 0.4, 0.6}, {}, {88, 86, 82}});
  return s;
}

// 30 % of 40 filters is 12. With the bound t between 2 and 3: a keeps 0.4 + 0.05 (t - 1) of itself
// removable, b 0.2 + 0.1 (t - 2); 10 a + 30 b = 12 gives t = 8.5 / 3.5.
TEST(SensitivityAllocation, HoldsEveryGroupUnderTheLeastBoundThatMeetsTheRatio) {
  const SensitivityAllocation a = allocate_by_sensitivity(two_groups(), 0.3);
  const double t = 8.5 / 3.5;
  EXPECT_NEAR(a.drop_bound, t, 1e-6);
  ASSERT_EQ(a.groups.size(), 2u);
  EXPECT_NEAR(a.groups[0].ratio, 0.4 + 0.05 * (t - 1), 1e-6);
  EXPECT_NEAR(a.groups[1].ratio, 0.2 + 0.1 * (t - 2), 1e-6);
  EXPECT_NEAR(a.groups[0].drop, t, 1e-6);
  EXPECT_NEAR(10 * a.groups[0].ratio + 30 * a.groups[1].ratio, 12, 1e-5);
  // The robust group gives up more of itself than the sensitive one.
  EXPECT_GT(a.groups[0].ratio, a.groups[1].ratio);
  // Each pattern matches its group's first producer alone, glob characters escaped.
  EXPECT_EQ(a.groups[0].pattern, "a/Conv");
  EXPECT_EQ(a.groups[1].pattern, "b\\[1\\]/Conv");
}

// a measured better at 40 % than at 20 %: its drop is taken as 2 from 20 % to 40 %. At the bound 2,
// a gives up 40 % (4 filters), b 20 % (6): 10 of 40 filters.
TEST(SensitivityAllocation, AMeasuredRiseIsNoise) {
  Sensitivity s = two_groups();
  s.curves[0].accuracy = {88, 90, 85};
  const SensitivityAllocation a = allocate_by_sensitivity(s, 0.25);
  EXPECT_NEAR(a.drop_bound, 2, 1e-6);
  EXPECT_NEAR(a.groups[0].ratio, 0.4, 1e-6);
  EXPECT_NEAR(a.groups[0].drop, 2, 1e-6);
  EXPECT_NEAR(a.groups[1].ratio, 0.2, 1e-6);
  // Below the first measured drop, both curves rise from 0: 0.05 of the filters at the bound 0.5.
  EXPECT_NEAR(allocate_by_sensitivity(s, 0.05).drop_bound, 0.5, 1e-6);
}

TEST(SensitivityAllocation, RefusesARatioTheTableCannotReach) {
  try {
    allocate_by_sensitivity(two_groups(), 0.7);
    ADD_FAILURE() << "0.7 accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("remove 60.0 % of its 40 filters, less than --ratio 0.7"), std::string::npos)
        << e.what();
  }
}

TEST(SensitivityAllocation, ReadsTheSensitivityCommandsJsonAndRefusesOtherDocuments) {
  const nlohmann::json doc = {{"kind", "sensitivity"},
                              {"baseline_rank1", 90.0},
                              {"split", "validation"},
                              {"curves", {{{"layers", "a/Conv"}, {"channels", 10}, {"ratios", {0.2}}, {"rank1", {85.0}}}}}};
  const SensitivityTable t = sensitivity_table(doc, "s.json");
  EXPECT_EQ(t.split, "validation");
  ASSERT_EQ(t.sensitivity.curves.size(), 1u);
  EXPECT_EQ(t.sensitivity.curves[0].channels, 10);
  nlohmann::json other = doc;
  other["kind"] = "prune";
  EXPECT_THROW(sensitivity_table(other, "s.json"), UsageError);
  nlohmann::json ragged = doc;
  ragged["curves"][0]["rank1"] = {85.0, 80.0};
  EXPECT_THROW(sensitivity_table(ragged, "s.json"), UsageError);
  nlohmann::json missing = doc;
  missing.erase("baseline_rank1");
  EXPECT_THROW(sensitivity_table(missing, "s.json"), UsageError);
}

}  // namespace
}  // namespace stride::compress
