// The accuracy-aware revert with a made-up evaluator whose answer is known: each layer costs a
// fixed number of points while in int8.
#include <gtest/gtest.h>

#include <map>

#include "stride/quant/accuracy_aware.h"

namespace stride::quant {
namespace {

TEST(RevertUntilWithin, ReturnsTheMostHarmfulLayersFirstAndStopsWithinTheBound) {
  const std::map<std::string, double> cost = {{"a", 0.5}, {"b", 4.0}, {"c", 2.0}, {"d", 0.1}};
  const std::vector<std::string> nodes = {"a", "b", "c", "d"};
  int evaluations = 0;
  auto accuracy = [&](const std::set<std::string>& keep_float) {
    ++evaluations;
    double a = 90;
    for (const auto& [node, points] : cost)
      if (!keep_float.count(node)) a -= points;
    return a;
  };
  const RevertResult r = revert_until_within(nodes, 90, accuracy({}), 1.0, accuracy);
  EXPECT_EQ(r.ranking.front().node, "b");
  EXPECT_EQ(r.order, (std::vector<std::string>{"b", "c"}));  // 90 - 0.6 is within 1 point
  EXPECT_DOUBLE_EQ(r.accuracy, 89.4);
  EXPECT_EQ(evaluations, 1 + 4 + 2);
}

TEST(RevertUntilWithin, DoesNothingWhenAlreadyWithinTheBound) {
  int evaluations = 0;
  const RevertResult r = revert_until_within({"a"}, 90, 89.5, 1.0, [&](const auto&) { return ++evaluations, 0.0; });
  EXPECT_TRUE(r.keep_float.empty());
  EXPECT_EQ(evaluations, 0);
}

TEST(RevertUntilWithin, WhenTheBoundIsNeverMetKeepsTheFewestRevertsThatHelped) {
  // Each revert gains a point, but 90 is out of reach: one int8 layer stays, the best (2 reverts) kept.
  RevertResult r =
      revert_until_within({"a", "b", "c"}, 90, 50, 0.0, [](const auto& keep) { return 50.0 + keep.size(); });
  EXPECT_FALSE(r.within_bound);
  EXPECT_EQ(r.keep_float.size(), 2u);
  EXPECT_DOUBLE_EQ(r.accuracy, 52.0);
  // Reverting one layer helps, more do not: only that one returns to f32.
  r = revert_until_within({"a", "b", "c"}, 90, 50, 0.0, [](const auto& keep) { return keep.count("b") ? 51.0 : 50.0; });
  EXPECT_EQ(r.order, std::vector<std::string>{"b"});
  EXPECT_DOUBLE_EQ(r.accuracy, 51.0);
  // No revert helps: the model stays all int8.
  r = revert_until_within({"a", "b"}, 90, 50, 0.0, [](const auto&) { return 50.0; });
  EXPECT_TRUE(r.keep_float.empty());
  EXPECT_DOUBLE_EQ(r.accuracy, 50.0);
}

}  // namespace
}  // namespace stride::quant
