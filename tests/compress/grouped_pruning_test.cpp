// Pruning through grouped convolutions (g groups of several channels): the channels they read and
// the filters they make lose equally many in each of the g runs, chosen within each run by the
// criterion; the pruned model is valid, keeps every `group` attribute, and computes what the
// original computes with the dropped channels' filters zeroed (the ref backend is the oracle).
#include <gtest/gtest.h>

#include <algorithm>

#include "compress/prune_support.h"
#include "stride/compress/channel_groups.h"
#include "stride/compress/channel_selection.h"
#include "stride/compress/filter_pruning.h"
#include "stride/zoo/graph_builder.h"
#include "tensor_compare.h"

namespace stride::compress {
namespace {

using stride::testing::close_to;

const ChannelGroup& group_of(const ChannelGroups& groups, const std::string& producer) {
  for (const ChannelGroup& g : groups.groups)
    if (std::find(g.producers.begin(), g.producers.end(), producer) != g.producers.end()) return g;
  throw Error("no group made by " + producer);
}

const Node& node_named(const Graph& graph, const std::string& name) {
  for (const Node& node : graph.nodes)
    if (node.name == name) return node;
  throw Error("no node " + name);
}

// Biases drawn at random, so that removing the wrong ones shows.
Graph with_random_biases(Graph graph) {
  Random random(11);
  for (auto& [name, tensor] : graph.initializers)
    if (name.ends_with(".bias"))
      for (float& v : tensor.values<float>()) v = random.uniform() - 0.5f;
  return graph;
}

// stem (3 → 16) → grouped (16 → 24, 4 groups of 4 inputs, 6 filters each) → head (24 → 5).
Graph conv_grouped_conv() {
  zoo::GraphBuilder b("grouped", 5);
  const std::string x = b.input("x", {-1, 3, 8, 8});
  b.scope("stem");
  const std::string stem = b.relu(b.conv(x, {.in_channels = 3, .out_channels = 16, .kernel = {3, 3}}));
  b.scope("grouped");
  const std::string grouped =
      b.relu(b.conv(stem, {.in_channels = 16, .out_channels = 24, .kernel = {3, 3}, .pads = {1, 1, 1, 1}, .group = 4}));
  b.scope("head");
  b.output(b.conv(grouped, {.in_channels = 24, .out_channels = 5, .kernel = {1, 1}}), "y", {-1, 5, 6, 6});
  return with_random_biases(std::move(b).finish());
}

// A ResNeXt-like block: y = stem + grouped(stem) (4 groups), then a grouped convolution of 2 groups
// reads the sum. The Add joins stem's and grouped's filters into one group in 4 runs.
Graph residual_grouped_block() {
  zoo::GraphBuilder b("residual", 5);
  const std::string x = b.input("x", {-1, 3, 6, 6});
  b.scope("stem");
  const std::string stem = b.relu(b.conv(x, {.in_channels = 3, .out_channels = 16, .kernel = {1, 1}}));
  b.scope("grouped");
  const std::string branch =
      b.conv(stem, {.in_channels = 16, .out_channels = 16, .kernel = {3, 3}, .pads = {1, 1, 1, 1}, .group = 4});
  b.scope("residual");
  const std::string sum = b.relu(b.add(stem, branch));
  b.scope("pair");
  const std::string pair = b.relu(b.conv(sum, {.in_channels = 16, .out_channels = 8, .kernel = {1, 1}, .group = 2}));
  b.scope("head");
  b.output(b.conv(pair, {.in_channels = 8, .out_channels = 3, .kernel = {1, 1}}), "y", {-1, 3, 6, 6});
  return with_random_biases(std::move(b).finish());
}

// The pruned graph computes what the original does with the dropped filters zeroed; every Conv
// keeps its `group` and its weights' input axis is the kept inputs per group.
void expect_removal_exact(const Graph& original) {
  const ChannelGroups groups = find_channel_groups(original);
  const KeptChannels kept = testing::every_third_channel(groups);
  const Graph zeroed = testing::zero_dropped_channels(original, groups, kept);
  const Graph pruned = remove_channels(zeroed, groups, kept);
  validate(pruned);
  const TensorMap expected = testing::run_ref(zeroed, 2);
  const TensorMap actual = testing::run_ref(pruned, 2);
  for (const auto& [name, tensor] : expected) EXPECT_TRUE(close_to(actual.at(name), tensor, 1e-5)) << name;
  const GraphShapes shapes = infer_shapes(pruned);
  for (const Node& node : original.nodes) {
    if (node.op_type != "Conv") continue;
    const Node& after = node_named(pruned, node.name);
    const int64_t group = node.attrs.get_int("group", 1);
    EXPECT_EQ(after.attrs.get_int("group", 1), group) << node.name;
    const Shape& w = pruned.initializers.at(after.inputs[1]).shape();
    EXPECT_EQ(w[1] * group, shapes.at(after.inputs[0]).shape[1]) << node.name;
    EXPECT_EQ(w[0] % group, 0) << node.name;
  }
}

TEST(GroupedPruning, AGroupedConvolutionSplitsItsInputAndItsFiltersIntoRuns) {
  const ChannelGroups groups = find_channel_groups(conv_grouped_conv());
  ASSERT_EQ(groups.groups.size(), 3u);
  EXPECT_EQ(group_of(groups, "stem/Conv").runs, 4);
  EXPECT_TRUE(group_of(groups, "stem/Conv").prunable());
  EXPECT_EQ(group_of(groups, "grouped/Conv").runs, 4);
  EXPECT_TRUE(group_of(groups, "grouped/Conv").prunable());
  EXPECT_EQ(group_of(groups, "head/Conv").runs, 1);
  EXPECT_NE(describe_groups(groups).find("grouped/Conv  (grouped convolutions: 4 runs of 6)"), std::string::npos)
      << describe_groups(groups);
}

TEST(GroupedPruning, RemovalThroughAGroupedConvolutionIsExact) {
  const Graph original = conv_grouped_conv();
  expect_removal_exact(original);
  // Every third of 4 per run: 2 per run, so 8 of stem's 16 channels, 2 inputs per group.
  const ChannelGroups groups = find_channel_groups(original);
  const Graph pruned = remove_channels(original, groups, testing::every_third_channel(groups));
  EXPECT_EQ(pruned.initializers.at(node_named(pruned, "grouped/Conv").inputs[1]).shape(), (Shape{8, 2, 3, 3}));
}

TEST(GroupedPruning, AResidualAddJoinsTheRunsOfEveryGroupedConvolutionOnIt) {
  const Graph original = residual_grouped_block();
  const ChannelGroups groups = find_channel_groups(original);
  const ChannelGroup& joined = group_of(groups, "stem/Conv");
  EXPECT_EQ(joined.producers.size(), 2u);  // stem and grouped, joined by the Add
  EXPECT_EQ(joined.runs, 4);               // lcm of grouped's 4 groups (in and out) and pair's 2
  EXPECT_EQ(group_of(groups, "pair/Conv").runs, 2);
  expect_removal_exact(original);
}

TEST(GroupedPruning, UnequalRunsAreRefusedNamingTheGroup) {
  const Graph original = conv_grouped_conv();
  const ChannelGroups groups = find_channel_groups(original);
  KeptChannels kept;
  kept[group_of(groups, "stem/Conv").id] = {0, 1, 4, 8, 12};  // run 0 keeps two, the others one
  try {
    remove_channels(original, groups, kept);
    FAIL() << "unequal runs were accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'stem/Conv'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("4 runs"), std::string::npos) << e.what();
  }
}

// Hand-made scores: the threshold takes a slice of a run-split layer at a time (the lowest channel of
// each run, scored by their mean), and a plain layer's filters one by one.
TEST(GroupedPruning, TheThresholdTakesEquallyManyFromEveryRunEachByItsScores) {
  ChannelGroups groups;
  groups.groups.push_back({.id = 0, .channels = 4, .producers = {"a"}, .runs = 2});
  groups.groups.push_back({.id = 1, .channels = 4, .producers = {"b"}});
  // a's runs are {1, 2} and {5, 6}: its slices are channels {0, 2} (mean 3) and {1, 3} (mean 4).
  const ChannelScores scores = {{0, {1, 2, 5, 6}}, {1, {1, 2, 5, 6}}};
  // Half of 8: b's 1 and 2, then a's first slice; a plain threshold would have taken a's 1 and 2.
  const Selection half = select_channels(groups, scores, {.ratio = 0.5});
  EXPECT_EQ(half.kept.at(0), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(half.kept.at(1), (std::vector<int64_t>{2, 3}));
  EXPECT_DOUBLE_EQ(half.real, 0.5);
  // A quarter: b's 1 and 2; a's slice of two filters would overshoot the budget.
  const Selection quarter = select_channels(groups, scores, {.ratio = 0.25});
  EXPECT_FALSE(quarter.kept.count(0));
  EXPECT_EQ(quarter.kept.at(1), (std::vector<int64_t>{2, 3}));
  // Rounded to multiples of 4 kept channels: a keeps both slices (4), b its best 2 rounded up to 4.
  const Selection rounded = select_channels(groups, scores, {.ratio = 0.5, .round_to = 4});
  EXPECT_TRUE(rounded.kept.empty());
}

TEST(GroupedPruning, PruneFiltersKeepsTheGroupStructure) {
  const Graph original = conv_grouped_conv();
  PruneOptions options;
  options.selection.ratio = 0.5;
  const PruneStep step = prune_filters(original, options);
  validate(step.graph);
  const Node& grouped = node_named(step.graph, "grouped/Conv");
  EXPECT_EQ(grouped.attrs.get_int("group", 1), 4);
  const Shape& w = step.graph.initializers.at(grouped.inputs[1]).shape();
  const Shape& stem = step.graph.initializers.at(node_named(step.graph, "stem/Conv").inputs[1]).shape();
  EXPECT_EQ(w[1] * 4, stem[0]);
  EXPECT_EQ(w[0] % 4, 0);
  EXPECT_LT(w[0] + stem[0], 24 + 16);
}

}  // namespace
}  // namespace stride::compress
