// Convolutions on the onednn backend against ref: padding, strides, dilation, groups, 1-D to 3-D.
#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

struct ConvCase {
  const char* name;
  Shape x;
  Shape w;
  Attributes attrs;
  bool bias;
};

class ConvVsRef : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvVsRef, MatchesRef) {
  const ConvCase& c = GetParam();
  GraphMaker m;
  std::vector<std::string> inputs{m.input("x", c.x), m.weight("w", c.w)};
  if (c.bias) inputs.push_back(m.weight("b", {c.w[0]}));
  m.node("Conv", "y", inputs, c.attrs);
  m.output("y");
  auto plan = expect_matches_ref(m.graph());
  const OnednnStepInfo& conv = step_computing(*plan, "y");
  EXPECT_EQ(conv.primitive, "convolution");
  EXPECT_FALSE(is_reference_kernel(conv)) << conv.implementation;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvVsRef,
    ::testing::Values(
        ConvCase{"plain", {2, 3, 9, 9}, {8, 3, 3, 3}, {}, true},
        ConvCase{"pads_strides",
                 {1, 16, 11, 10},
                 {32, 16, 3, 3},
                 attributes({{"pads", Ints{1, 2, 0, 1}}, {"strides", Ints{2, 1}}}),
                 true},
        ConvCase{"dilated", {1, 8, 12, 12}, {16, 8, 3, 3}, attributes({{"dilations", Ints{2, 3}}}), false},
        ConvCase{"groups",
                 {2, 32, 8, 8},
                 {64, 8, 3, 3},
                 attributes({{"group", int64_t{4}}, {"pads", Ints{1, 1, 1, 1}}}),
                 true},
        ConvCase{"depthwise",
                 {1, 16, 7, 7},
                 {16, 1, 3, 3},
                 attributes({{"group", int64_t{16}}, {"strides", Ints{2, 2}}}),
                 false},
        ConvCase{"same_upper",
                 {1, 4, 10, 7},
                 {8, 4, 4, 3},
                 attributes({{"auto_pad", std::string("SAME_UPPER")}, {"strides", Ints{3, 2}}}),
                 true},
        ConvCase{
            "same_lower", {1, 4, 10, 7}, {8, 4, 4, 4}, attributes({{"auto_pad", std::string("SAME_LOWER")}}), false},
        ConvCase{"conv1d", {3, 5, 20}, {7, 5, 4}, attributes({{"pads", Ints{2, 1}}, {"strides", Ints{2}}}), true},
        ConvCase{"conv3d", {2, 3, 7, 12, 12}, {16, 3, 3, 5, 5}, attributes({{"strides", Ints{1, 2, 2}}}), true},
        ConvCase{"conv3d_pads",
                 {1, 16, 6, 8, 8},
                 {16, 16, 3, 3, 3},
                 attributes({{"strides", Ints{2, 2, 2}}, {"pads", Ints{1, 0, 1, 1, 1, 0}}}),
                 false}),
    [](const ::testing::TestParamInfo<ConvCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace stride::testing
