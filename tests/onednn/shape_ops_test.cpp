// Reshape-like views, Transpose, Concat, reductions and Softmax against ref.
#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

Tensor ints(const std::vector<int64_t>& values) {
  return Tensor::from_vector<int64_t>({static_cast<int64_t>(values.size())}, values);
}

// A convolution whose output is in oneDNN's own layout, feeding the op under test.
std::string blocked_features(GraphMaker& m, const Shape& x, int64_t channels) {
  m.node("Conv", "features", {m.input("x", x), m.weight("w", {channels, x[1], 1, 1})});
  return "features";
}

TEST(OnednnShapeOps, ViewsOfBlockedAndPlainData) {
  GraphMaker m;
  const std::string f = blocked_features(m, {2, 3, 4, 6}, 16);
  m.node("Reshape", "reshaped", {f, m.constant("shape", ints({2, 16, -1}))});
  m.node("Flatten", "flat", {f}, attributes({{"axis", int64_t{2}}}));
  m.node("Unsqueeze", "unsqueezed", {"reshaped"}, attributes({{"axes", Ints{0}}}));
  m.node("Squeeze", "squeezed", {"unsqueezed"}, attributes({{"axes", Ints{0}}}));
  m.node("Identity", "same", {f});
  m.node("Dropout", "dropped", {"same"});
  m.output("flat").output("squeezed").output("dropped");
  auto plan = expect_matches_ref(m.graph());
  for (const auto& s : plan->steps()) EXPECT_NE(s.converts, "reshaped") << "a view was copied";
}

TEST(OnednnShapeOps, TransposeIsAViewConvertedOnceByItsReader) {
  GraphMaker m;
  const std::string f = blocked_features(m, {2, 3, 4, 5}, 32);
  m.node("Transpose", "t", {f}, attributes({{"perm", Ints{0, 2, 1, 3}}}));
  m.node("Transpose", "reversed", {m.input("y", {3, 4, 5})});
  m.output("t").output("reversed");
  auto plan = expect_matches_ref(m.graph());
  // The only copy of the convolution's output is the one into the caller's tensor, read through
  // the transposed view.
  size_t copies_of_features = 0, copies_of_t = 0;
  for (const auto& s : plan->steps()) {
    copies_of_features += s.converts == "features";
    copies_of_t += s.converts == "t";
  }
  EXPECT_EQ(copies_of_features, 0u);
  EXPECT_EQ(copies_of_t, 1u);
}

// Reshape and Transpose between two convolutions (the 3Dto2D-CNN's fold of frames into the batch):
// at most one reorder, from the first convolution's layout seen through both views to the second's
// (none when the views already are that layout, as with channels-last here).
TEST(OnednnShapeOps, ViewsBetweenConvolutionsCostOneReorder) {
  GraphMaker m;
  const std::string f = blocked_features(m, {6, 3, 4, 5}, 16);  // [N·T = 2·3, C, H, W]
  m.node("Reshape", "clip", {f, m.constant("shape", ints({2, 3, 16, 20}))});
  m.node("Transpose", "channels_first", {"clip"}, attributes({{"perm", Ints{0, 2, 1, 3}}}));
  m.node("Conv", "temporal", {"channels_first", m.weight("wt", {16, 16, 2, 1})});
  m.output("temporal");
  auto plan = expect_matches_ref(m.graph());
  size_t reorders_between = 0;
  for (const auto& s : plan->steps()) reorders_between += s.converts == "channels_first" || s.converts == "clip";
  EXPECT_LE(reorders_between, 1u);
}

// Set pooling: the maximum over the frames of a convolution's output is a pooling window over its
// own layout, with no reorder before or after.
TEST(OnednnShapeOps, SetPoolingRunsInTheConvolutionLayout) {
  GraphMaker m;
  const std::string f = blocked_features(m, {6, 3, 4, 5}, 16);  // [N·S = 2·3, C, H, W]
  m.node("Reshape", "sets", {f, m.constant("shape", ints({2, 3, 16, 4, 5}))});
  m.node("ReduceMax", "set_max", {"sets"}, attributes({{"axes", Ints{1}}, {"keepdims", int64_t{0}}}));
  m.node("Conv", "next", {"set_max", m.weight("wn", {16, 16, 3, 3})});
  m.node("ReduceMean", "strip_mean", {m.node("Reshape", "strips", {"next", m.constant("s", ints({2, 16, 2, 3}))})},
         attributes({{"axes", Ints{3}}, {"keepdims", int64_t{0}}}));
  m.output("strip_mean");
  auto plan = expect_matches_ref(m.graph());
  if (!kOnednnHasJitKernels) return;
  EXPECT_EQ(step_computing(*plan, "set_max").primitive, "pooling_v2");
  EXPECT_FALSE(is_reference_kernel(step_computing(*plan, "set_max")));
  EXPECT_EQ(step_computing(*plan, "strip_mean").primitive, "pooling_v2");
  // Only the graph input (into the first convolution) and the output (to the caller) are converted.
  for (const auto& s : plan->steps())
    EXPECT_TRUE(s.converts.empty() || s.converts == "x" || s.converts == "strip_mean") << s.converts;
}

TEST(OnednnShapeOps, Concat) {
  GraphMaker m;
  const std::string f = blocked_features(m, {2, 3, 4, 4}, 16);
  m.node("Concat", "channels", {f, m.input("more", {2, 5, 4, 4}), f}, attributes({{"axis", int64_t{1}}}));
  m.node("Concat", "last", {m.input("a", {2, 3, 1}), m.input("b", {2, 3, 4})}, attributes({{"axis", int64_t{-1}}}));
  m.output("channels").output("last");
  expect_matches_ref(m.graph());
}

// ReduceSum (axes as an input since opset 13) on a plain input and on a convolution's own layout.
TEST(OnednnShapeOps, ReduceSum) {
  GraphMaker m;
  m.node("ReduceSum", "rows", {m.input("plain", {2, 5, 3, 8}), m.constant("axes_rows", ints({1, 3}))},
         attributes({{"keepdims", int64_t{0}}}));
  const std::string f = blocked_features(m, {2, 3, 4, 5}, 16);
  m.node("ReduceSum", "spatial", {f, m.constant("axes_spatial", ints({2, 3}))});
  m.output("rows").output("spatial");
  expect_matches_ref(m.graph());
}

struct ReduceCase {
  const char* name;
  const char* op;
  Ints axes;
  int64_t keepdims;
};

class ReduceVsRef : public ::testing::TestWithParam<ReduceCase> {};

TEST_P(ReduceVsRef, MatchesRef) {
  const ReduceCase& c = GetParam();
  GraphMaker m;
  Attributes a = attributes({{"keepdims", c.keepdims}});
  if (!c.axes.empty()) a.set("axes", c.axes);
  m.node(c.op, "y", {m.input("x", {2, 5, 3, 8})}, a);
  m.output("y");
  expect_matches_ref(m.graph());
}

INSTANTIATE_TEST_SUITE_P(Axes, ReduceVsRef,
                         ::testing::Values(ReduceCase{"max_frames", "ReduceMax", {1}, 0},
                                           ReduceCase{"mean_strip", "ReduceMean", {3}, 0},
                                           ReduceCase{"max_two_axes_kept", "ReduceMax", {-1, 1}, 1},
                                           ReduceCase{"mean_all", "ReduceMean", {}, 0},
                                           ReduceCase{"max_all_kept", "ReduceMax", {}, 1}),
                         [](const ::testing::TestParamInfo<ReduceCase>& info) { return std::string(info.param.name); });

TEST(OnednnShapeOps, ReduceOverSizeOneAxesIsAView) {
  GraphMaker m;
  m.node("ReduceMean", "y", {m.input("x", {2, 1, 3})}, attributes({{"axes", Ints{1}}, {"keepdims", int64_t{0}}}));
  m.output("y");
  auto plan = expect_matches_ref(m.graph());
  EXPECT_EQ(plan->primitive_count(), 1u) << "only the copy into the output";
}

TEST(OnednnShapeOps, ReduceAxesAsInput) {
  GraphMaker m;
  m.node("ReduceMax", "y", {m.input("x", {3, 4, 5}), m.constant("axes", ints({0, 2}))});
  m.output("y");
  expect_matches_ref(m.graph());
}

TEST(OnednnShapeOps, SoftmaxOnEachAxis) {
  for (int64_t axis : {-1, 0, 1}) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    GraphMaker m;
    m.node("Softmax", "y", {m.input("x", {4, 7, 3})}, attributes({{"axis", axis}}));
    m.output("y");
    expect_matches_ref(m.graph());
  }
}

}  // namespace
}  // namespace stride::testing
