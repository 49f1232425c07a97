// Staged schedules (compress/pruning_stages.h): the --stage parser, and a two-stage prune of a
// hand-made two-part model whose MACs after are counted by hand.
#include "stride/compress/pruning_stages.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stride/core/usage_error.h"
#include "stride/ir/cost.h"
#include "stride/zoo/graph_builder.h"

namespace stride::compress {
namespace {

TEST(PruningStages, ParsesPatternStepsAndTheShareEachStepKeeps) {
  const PruningStage s = parse_stage("backbone3d/*:12x0.9");
  EXPECT_EQ(s.pattern, "backbone3d/*");
  EXPECT_EQ(s.steps, 12);
  EXPECT_DOUBLE_EQ(s.keep, 0.9);
  EXPECT_NEAR(s.ratio(), 1 - 0.282429536481, 1e-12);          // 0.9^12 of the filters are left
  const PruningStage spaced = parse_stage("a:b/*: 2 x 0.5");  // the last ':' ends the pattern
  EXPECT_EQ(spaced.pattern, "a:b/*");
  EXPECT_EQ(spaced.steps, 2);
  EXPECT_DOUBLE_EQ(spaced.ratio(), 0.75);
}

TEST(PruningStages, RefusesMalformedStagesNamingThem) {
  for (const std::string bad : {"backbone2d", ":4x0.9", "a:0x0.9", "a:4x1", "a:4x0", "a:4y0.9", "a:x0.9", "a:4x0.9z",
                                "a:2.5x0.9", "a:-1x0.5"}) {
    try {
      parse_stage(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--stage '" + bad + "'"), std::string::npos) << e.what();
    }
  }
}

// first/Conv (3 → 10) → second/Conv (10 → 16, 2 groups) → head/Conv (16 → 2, the output: kept), all
// on 8 × 8 maps (3 × 3 kernels, padded).
Graph two_parts() {
  zoo::GraphBuilder b("two-parts", 5);
  const std::string x = b.input("x", {1, 3, 8, 8});
  b.scope("first");
  const std::string first =
      b.relu(b.conv(x, {.in_channels = 3, .out_channels = 10, .kernel = {3, 3}, .pads = {1, 1, 1, 1}}));
  b.scope("second");
  const std::string second = b.relu(
      b.conv(first, {.in_channels = 10, .out_channels = 16, .kernel = {3, 3}, .pads = {1, 1, 1, 1}, .group = 2}));
  b.scope("head");
  b.output(b.conv(second, {.in_channels = 16, .out_channels = 2, .kernel = {1, 1}}), "y", {1, 2, 8, 8});
  return std::move(b).finish();
}

TEST(PruningStages, TwoStagesPruneOnePartAfterTheOtherWithStepsBetween) {
  const Graph original = two_parts();
  // By hand: 64 positions × (first 10·3·9 + second 16·5·9 + head 2·16).
  EXPECT_EQ(model_cost(original).macs, 64 * (10 * 3 * 9 + 16 * 5 * 9 + 2 * 16));
  StagedPruning request;
  request.stages = {parse_stage("first/*:1x0.6"), parse_stage("second/*:2x0.5")};
  int steps_done = 0;
  std::vector<int64_t> first_channels;  // first/Conv's filters after each step
  request.base.after_step = [&](const Graph& m) {
    ++steps_done;
    for (const Node& node : m.nodes)
      if (node.name == "first/Conv") first_channels.push_back(m.initializers.at(node.inputs[1]).dim(0));
    return m;
  };
  std::vector<std::string> lines;
  request.base.report = [&](const std::string& line) { lines.push_back(line); };
  const IterativePruneResult r = prune_in_stages(original, request);
  // Stage 1 keeps 6 of first's 10 filters (3 in each of second's 2 groups); stage 2 keeps 8 then 4 of
  // second's 16 (2 per group), and first is left alone.
  EXPECT_EQ(steps_done, 3);
  EXPECT_EQ(first_channels, (std::vector<int64_t>{6, 6, 6}));
  EXPECT_EQ(model_cost(r.model).macs, 64 * (6 * 3 * 9 + 4 * 3 * 9 + 2 * 4));
  for (const Node& node : r.model.nodes)
    if (node.name == "second/Conv") {
      EXPECT_EQ(node.attrs.get_int("group", 1), 2);
    }
  EXPECT_EQ(nlohmann::json::parse(r.model.metadata.at("stride.pruning")).size(), 2u);  // one entry per stage
  for (const LayerSelection& layer : r.overall.layers)  // each layer asked its stage's 1 − keep^steps
    EXPECT_DOUBLE_EQ(layer.requested, layer.node == "first/Conv"    ? 0.4
                                      : layer.node == "second/Conv" ? 0.75
                                                                    : 0.0)
        << layer.node;
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].rfind("stage 1/2 'first/*:1x0.6'", 0), 0u) << lines[0];
}

TEST(PruningStages, APatternMatchingNoPrunableLayerIsRefusedBeforeAnyStep) {
  StagedPruning request;
  request.stages = {parse_stage("first/*:1x0.5"), parse_stage("head/*:2x0.9")};  // head makes the output
  int steps_done = 0;
  request.base.after_step = [&](const Graph& m) {
    ++steps_done;
    return m;
  };
  try {
    prune_in_stages(two_parts(), request);
    FAIL() << "a pattern matching nothing prunable was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--stage 'head/*:2x0.9': 'head/*' matches no prunable layer"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(steps_done, 0);
}

}  // namespace
}  // namespace stride::compress
