// The global percentile on hand-made scores, per-part ratios, rounding, and the magnitude baseline.
#include "stride/compress/channel_selection.h"

#include <gtest/gtest.h>

#include "stride/compress/magnitude_pruning.h"
#include "stride/zoo/zoo.h"

namespace stride::compress {
namespace {

ChannelGroups two_layers(bool second_blocked = false) {
  ChannelGroups g;
  g.groups.push_back({.id = 0, .channels = 4, .producers = {"a"}});
  g.groups.push_back({.id = 1, .channels = 4, .producers = {"b"}, .blocked = second_blocked ? "output" : ""});
  return g;
}
const ChannelScores kScores = {{0, {1, 2, 3, 4}}, {1, {10, 40, 20, 30}}};

TEST(GlobalPercentile, RemovesTheLowestScoresOverAllLayersKeepingOnePerLayer) {
  const Selection s = select_channels(two_layers(), kScores, {.ratio = 0.375});
  EXPECT_EQ(s.kept.at(0), (std::vector<int64_t>{3}));  // 1, 2, 3 go
  EXPECT_FALSE(s.kept.count(1));
  EXPECT_DOUBLE_EQ(s.real, 0.375);
  // Asking for 5 of 8 would empty layer a: it keeps its best and the real ratio falls short.
  const Selection t = select_channels(two_layers(), kScores, {.ratio = 0.625});
  EXPECT_EQ(t.kept.at(0), (std::vector<int64_t>{3}));
  EXPECT_EQ(t.kept.at(1), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_DOUBLE_EQ(t.real, 0.5);
}

TEST(GlobalPercentile, BlockedLayersCountButKeepEverything) {
  const Selection s = select_channels(two_layers(true), kScores, {.ratio = 0.5});
  EXPECT_EQ(s.kept.at(0), (std::vector<int64_t>{3}));
  EXPECT_FALSE(s.kept.count(1));
  EXPECT_DOUBLE_EQ(s.real, 0.375);
  EXPECT_DOUBLE_EQ(s.requested, 0.5);
}

TEST(GlobalPercentile, NormalisedScoresLetEveryLayerLose) {
  // Divided by their means (2.5 and 25) both layers score 0.4 ... 1.6: the lowest of each go.
  const Selection s = select_channels(two_layers(), kScores, {.ratio = 0.25, .normalize = true});
  EXPECT_EQ(s.kept.at(0), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(s.kept.at(1), (std::vector<int64_t>{1, 2, 3}));
}

TEST(GlobalPercentile, ALayerLimitMovesTheThresholdOnAndMeetsTheRatio) {
  // 5 of 8 with at most 3/4 of a layer: a loses 1, 2, 3 (its limit), then b's lowest two go.
  const Selection s = select_channels(two_layers(), kScores, {.ratio = 0.625, .max_layer_ratio = 0.75});
  EXPECT_EQ(s.kept.at(0), (std::vector<int64_t>{3}));
  EXPECT_EQ(s.kept.at(1), (std::vector<int64_t>{1, 3}));
  EXPECT_DOUBLE_EQ(s.real, 0.625);
  // At most half of each: a loses 1 and 2 (its limit), and b's 10 goes where a's 3 would have.
  const Selection h = select_channels(two_layers(), kScores, {.ratio = 0.375, .max_layer_ratio = 0.5});
  EXPECT_EQ(h.kept.at(0), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(h.kept.at(1), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_DOUBLE_EQ(h.real, 0.375);
  EXPECT_THROW(select_channels(two_layers(), kScores, {.ratio = 0.2, .max_layer_ratio = 0}), Error);
  EXPECT_THROW(select_channels(two_layers(), kScores, {.ratio = 0.2, .max_layer_ratio = 1.5}), Error);
}

TEST(GlobalPercentile, PerPartRatiosAndRounding) {
  const Selection s = select_channels(two_layers(), kScores, {.ratio = 0.5, .ratio_for = {{"b*", 0.25}}});
  EXPECT_EQ(s.kept.at(0), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(s.kept.at(1), (std::vector<int64_t>{1, 2, 3}));
  const Selection r =
      select_channels(two_layers(), kScores, {.ratio = 0.5, .ratio_for = {{"b*", 0.25}}, .round_to = 4});
  EXPECT_TRUE(r.kept.empty());  // 2 and 3 kept channels round up to 4
}

ChannelGroups one_group(int64_t channels) {
  ChannelGroups g;
  g.groups.push_back({.id = 0, .channels = channels, .producers = {"a"}});
  return g;
}

TEST(GlobalPercentile, WholeBlocksComeNearestTheRatio) {
  ChannelGroups g = one_group(8);
  g.groups.push_back({.id = 1, .channels = 8, .producers = {"b"}});
  const ChannelScores scores = {{0, {1, 2, 3, 4, 5, 6, 7, 8}}, {1, {10, 80, 20, 70, 30, 60, 40, 50}}};
  // 40 % of 16 is 6.4 filters. Filter by filter, a loses 1-4 and b 10 and 20, whose 6 kept round
  // up to 8: 25 % real. In blocks of 4 (means 2.5 and 25), both blocks go: 50 %, the nearer.
  const Selection up = select_channels(g, scores, {.ratio = 0.4, .round_to = 4});
  EXPECT_DOUBLE_EQ(up.real, 0.25);
  const Selection blocks = select_channels(g, scores, {.ratio = 0.4, .round_to = 4, .whole_blocks = true});
  EXPECT_EQ(blocks.kept.at(0), (std::vector<int64_t>{4, 5, 6, 7}));
  EXPECT_EQ(blocks.kept.at(1), (std::vector<int64_t>{1, 3, 5, 7}));
  EXPECT_DOUBLE_EQ(blocks.real, 0.5);
  // 30 % is 4.8 filters: b's block would overshoot to 8, farther than stopping at 4.
  EXPECT_DOUBLE_EQ(select_channels(g, scores, {.ratio = 0.3, .round_to = 4, .whole_blocks = true}).real, 0.25);
}

TEST(GlobalPercentile, AWholeBlockLayerLosesItsRemainderFirstAndKeepsOneBlock) {
  const ChannelScores scores = {{0, {5, 1, 6, 2, 7, 3}}};
  // 6 channels in blocks of 4: the two lowest (1 and 2) are one candidate, the best four are kept.
  const Selection s = select_channels(one_group(6), scores, {.ratio = 0.3, .round_to = 4, .whole_blocks = true});
  EXPECT_EQ(s.kept.at(0), (std::vector<int64_t>{0, 2, 4, 5}));
  const Selection most = select_channels(one_group(6), scores, {.ratio = 0.9, .round_to = 4, .whole_blocks = true});
  EXPECT_EQ(most.kept.at(0), (std::vector<int64_t>{0, 2, 4, 5}));
  EXPECT_DOUBLE_EQ(most.real, 2.0 / 6.0);
  EXPECT_THROW(select_channels(one_group(6), scores, {.ratio = 0.3, .whole_blocks = true}), Error);
}

TEST(GlobalPercentile, RefusesBadRequests) {
  EXPECT_THROW(select_channels(two_layers(), kScores, {.ratio = 1.0}), Error);
  EXPECT_THROW(select_channels(two_layers(), kScores, {.ratio = -0.1}), Error);
  EXPECT_THROW(select_channels(two_layers(), kScores, {.ratio = 0.2, .ratio_for = {{"nothing*", 0.1}}}), Error);
  EXPECT_THROW(select_channels(two_layers(), kScores, {.ratio = 0.2, .round_to = 0}), Error);
}

TEST(MagnitudePruning, ZeroesTheSmallestWeightsAndKeepsEveryShape) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = 5;
  const Graph graph = build_model("cnn2d", o);
  const MagnitudeResult r = prune_magnitude(graph, 0.5);
  EXPECT_NEAR(double(r.zeroed) / double(r.weights), 0.5, 1e-3);
  for (const auto& [name, t] : graph.initializers) EXPECT_EQ(r.graph.initializers.at(name).shape(), t.shape());
  EXPECT_THROW(prune_magnitude(graph, 1.0), Error);
}

}  // namespace
}  // namespace stride::compress
