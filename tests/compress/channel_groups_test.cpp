// Dependency groups: the zoo models' groups against hand-written lists, and the exactness of
// physical removal — when the removed filters are zero, the pruned model computes what the
// original does — on the zoo (yowo-lite's grouped 3-D convolutions and residual adds included) and
// on small graphs with a residual Add, a Concat, a depthwise convolution and a Flatten into Gemm.
#include "stride/compress/channel_groups.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "compress/prune_support.h"
#include "stride/compress/channel_removal.h"
#include "stride/core/random.h"
#include "stride/zoo/graph_builder.h"
#include "stride/zoo/zoo.h"
#include "tensor_compare.h"

namespace stride::compress {
namespace {

using stride::testing::close_to;

ZooOptions small(int64_t classes = 0) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = classes;
  return o;
}

struct GroupView {
  std::vector<std::string> producers;
  bool prunable;
  bool operator==(const GroupView&) const = default;
};

std::vector<GroupView> view(const ChannelGroups& groups) {
  std::vector<GroupView> v;
  for (const ChannelGroup& g : groups.groups) {
    std::vector<std::string> producers = g.producers;
    std::sort(producers.begin(), producers.end());
    v.push_back({producers, g.prunable()});
  }
  std::sort(v.begin(), v.end(), [](const GroupView& a, const GroupView& b) { return a.producers < b.producers; });
  return v;
}

void PrintTo(const GroupView& g, std::ostream* os) {
  *os << "{";
  for (const auto& p : g.producers) *os << p << " ";
  *os << (g.prunable ? "prunable}" : "blocked}");
}

TEST(ChannelGroups, GaitSetJoinsTheSetAndGlobalPipelinesAtTheirAdds) {
  const ChannelGroups groups = find_channel_groups(build_model("gaitset", small()));
  const std::vector<GroupView> expected = {
      {{"gl_layer1/Conv"}, true},  {{"gl_layer2/Conv", "set_layer4/Conv"}, true},
      {{"gl_layer3/Conv"}, true},  {{"gl_layer4/Conv", "set_layer6/Conv"}, true},
      {{"hpm/MatMul"}, false},  // its neurons are the feature
      {{"set_layer1/Conv"}, true}, {{"set_layer2/Conv"}, true},
      {{"set_layer3/Conv"}, true}, {{"set_layer5/Conv"}, true},
  };
  EXPECT_EQ(view(groups), expected);
}

TEST(ChannelGroups, Cnn2dConvolutionsAreAloneAndItsHeadIsKept) {
  const ChannelGroups groups = find_channel_groups(build_model("cnn2d", small(10)));
  const std::vector<GroupView> expected = {
      {{"classifier/Gemm"}, false}, {{"code/Gemm"}, false}, {{"conv1/Conv"}, true}, {{"conv2/Conv"}, true},
      {{"conv3/Conv"}, true},       {{"conv4/Conv"}, true}, {{"dense/Gemm"}, true},
  };
  EXPECT_EQ(view(groups), expected);
  for (const ChannelGroup& g : groups.groups)
    if (g.producers.front() == "code/Gemm") {
      EXPECT_NE(g.blocked.find("model output"), std::string::npos) << g.blocked;
    }
}

TEST(ChannelGroups, Cnn3dKeepsTheCodeLayerThatIsTheFeature) {
  const ChannelGroups groups = find_channel_groups(build_model("cnn3d", small()));
  ASSERT_EQ(groups.groups.size(), 7u);
  for (const ChannelGroup& g : groups.groups) {
    ASSERT_EQ(g.producers.size(), 1u);
    EXPECT_EQ(g.prunable(), g.producers.front() != "conv7/Conv") << g.producers.front() << ": " << g.blocked;
  }
}

TEST(ChannelGroups, Cnn3dto2dFollowsChannelsThroughItsReshapesAndTransposes) {
  const ChannelGroups groups = find_channel_groups(build_model("cnn3dto2d", small(10)));
  int prunable_convs = 0;
  for (const ChannelGroup& g : groups.groups) prunable_convs += g.prunable() && !g.dense;
  EXPECT_EQ(prunable_convs, 12);  // 7 spatial + 6 temporal convolutions; conv7's is the feature
  EXPECT_FALSE(groups.shape_edits.empty());
}

// Biases drawn at random, so that removing the wrong ones shows.
Graph with_random_biases(Graph graph) {
  Random random(11);
  for (auto& [name, tensor] : graph.initializers)
    if (name.ends_with(".bias"))
      for (float& v : tensor.values<float>()) v = random.uniform() - 0.5f;
  return graph;
}

void expect_removal_exact(const Graph& original, int64_t batch = 2) {
  const ChannelGroups groups = find_channel_groups(original);
  const KeptChannels kept = testing::every_third_channel(groups);
  ASSERT_FALSE(kept.empty());
  const Graph zeroed = testing::zero_dropped_channels(original, groups, kept);
  const Graph pruned = remove_channels(zeroed, groups, kept);
  const TensorMap expected = testing::run_ref(zeroed, batch);
  const TensorMap actual = testing::run_ref(pruned, batch);
  for (const auto& [name, tensor] : expected) EXPECT_TRUE(close_to(actual.at(name), tensor, 1e-5)) << name;
  int64_t before = 0, after = 0;
  for (const auto& [name, t] : original.initializers) before += t.numel();
  for (const auto& [name, t] : pruned.initializers) after += t.numel();
  EXPECT_LT(after, before);
}

TEST(ChannelRemoval, ZooModelsComputeTheSameWithTheirZeroFiltersRemoved) {
  for (const std::string model : {"cnn2d", "cnn3d", "cnn3dto2d", "gaitset", "yowo-lite"}) {
    SCOPED_TRACE(model);
    ZooOptions o = small(model == "gaitset" ? 0 : 10);
    if (model == "gaitset" || model == "yowo-lite") o.frames = 4;
    if (model == "yowo-lite") o.width_mult = 0.25;  // two channels per group: grouped, not depthwise
    expect_removal_exact(with_random_biases(build_model(model, o)));
  }
}

TEST(ChannelRemoval, ResidualAddConcatDepthwiseAndFlattenIntoGemm) {
  zoo::GraphBuilder b("blocks", 5);
  const std::string x = b.input("x", {-1, 3, 8, 8});
  b.scope("stem");
  const std::string stem =
      b.relu(b.conv(x, {.in_channels = 3, .out_channels = 8, .kernel = {3, 3}, .pads = {1, 1, 1, 1}}));
  b.scope("branch");
  const std::string branch =
      b.conv(stem, {.in_channels = 8, .out_channels = 8, .kernel = {3, 3}, .pads = {1, 1, 1, 1}});
  b.scope("residual");
  const std::string sum = b.relu(b.add(stem, branch));
  b.scope("depthwise");
  const std::string dw =
      b.conv(sum, {.in_channels = 8, .out_channels = 8, .kernel = {3, 3}, .pads = {1, 1, 1, 1}, .group = 8});
  b.scope("side");
  const std::string side = b.conv(x, {.in_channels = 3, .out_channels = 6, .kernel = {1, 1}});
  b.scope("joined");
  const std::string joined = b.concat({dw, side, x}, 1);  // x's channels stay: no group owns them
  b.scope("mix");
  const std::string mixed =
      b.relu(b.conv(joined, {.in_channels = 17, .out_channels = 5, .kernel = {2, 2}, .strides = {2, 2}}));
  b.scope("head");
  const std::string flat = b.flatten(mixed);
  const std::string hidden = b.relu(b.dense(flat, 5 * 4 * 4, 12));
  b.output(b.dense(hidden, 12, 4), "y", {-1, 4});
  const Graph graph = with_random_biases(std::move(b).finish());

  const ChannelGroups groups = find_channel_groups(graph);
  std::vector<GroupView> expected = {
      {{"branch/Conv", "stem/Conv"}, true},  // joined by the residual Add; the depthwise conv follows them
      {{"head/Gemm"}, true},
      {{"head/Gemm_2"}, false},
      {{"mix/Conv"}, true},
      {{"side/Conv"}, true},
  };
  EXPECT_EQ(view(groups), expected);
  expect_removal_exact(graph);
}

TEST(ChannelRemoval, RefusesToEmptyAGroupOrPruneABlockedOne) {
  const Graph graph = build_model("cnn3d", small());
  const ChannelGroups groups = find_channel_groups(graph);
  for (const ChannelGroup& g : groups.groups) {
    KeptChannels none{{g.id, {}}};
    EXPECT_THROW(remove_channels(graph, groups, none), Error);
    if (!g.prunable()) {
      KeptChannels first{{g.id, {0}}};
      EXPECT_THROW(remove_channels(graph, groups, first), Error);
    }
  }
}

TEST(ChannelGroups, UnknownOpsStopTheirGroupsNamingTheNode) {
  zoo::GraphBuilder b("odd", 5);
  const std::string x = b.input("x", {1, 3, 8, 8});
  b.scope("conv");
  const std::string c = b.conv(x, {.in_channels = 3, .out_channels = 4, .kernel = {3, 3}});
  b.scope("norm");
  const std::string s = b.softmax(c, 1);  // normalises over the channels
  b.output(s, "y", {1, 4, 6, 6});
  const ChannelGroups groups = find_channel_groups(std::move(b).finish());
  ASSERT_EQ(groups.groups.size(), 1u);
  EXPECT_NE(groups.groups[0].blocked.find("norm/Softmax"), std::string::npos) << groups.groups[0].blocked;
}

}  // namespace
}  // namespace stride::compress
