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

TEST(OnednnShapeOps, TransposeReordersOnce) {
  GraphMaker m;
  const std::string f = blocked_features(m, {2, 3, 4, 5}, 32);
  m.node("Transpose", "t", {f}, attributes({{"perm", Ints{0, 2, 1, 3}}}));
  m.node("Transpose", "reversed", {m.input("y", {3, 4, 5})});
  m.output("t").output("reversed");
  auto plan = expect_matches_ref(m.graph());
  // The transpose reads the convolution's layout directly: one reorder, none to plain before it.
  size_t reorders_of_features = 0;
  for (const auto& s : plan->steps()) reorders_of_features += s.converts == "features";
  EXPECT_EQ(reorders_of_features, 1u);
}

TEST(OnednnShapeOps, Concat) {
  GraphMaker m;
  const std::string f = blocked_features(m, {2, 3, 4, 4}, 16);
  m.node("Concat", "channels", {f, m.input("more", {2, 5, 4, 4}), f}, attributes({{"axis", int64_t{1}}}));
  m.node("Concat", "last", {m.input("a", {2, 3, 1}), m.input("b", {2, 3, 4})}, attributes({{"axis", int64_t{-1}}}));
  m.output("channels").output("last");
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
