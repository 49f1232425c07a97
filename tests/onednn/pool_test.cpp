// Pooling on the onednn backend against ref, on plain inputs and on a convolution's blocked output.
#include <gmock/gmock.h>

#include "onednn/onednn_test_support.h"

namespace stride::testing {
namespace {

struct PoolCase {
  const char* name;
  const char* op;
  Shape x;
  Attributes attrs;
};

class PoolVsRef : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolVsRef, OnGraphInput) {
  const PoolCase& c = GetParam();
  GraphMaker m;
  m.node(c.op, "y", {m.input("x", c.x)}, c.attrs);
  m.output("y");
  expect_matches_ref(m.graph());
}

// The same pooling after a convolution, reading the layout the convolution chose.
TEST_P(PoolVsRef, AfterConvolution) {
  const PoolCase& c = GetParam();
  GraphMaker m;
  Shape x = c.x;
  x[1] = 3;
  const Shape w = c.x.size() == 4 ? Shape{c.x[1], 3, 1, 1} : Shape{c.x[1], 3, 1, 1, 1};
  m.node("Conv", "features", {m.input("x", x), m.weight("w", w)});
  m.node(c.op, "y", {"features"}, c.attrs);
  m.output("y");
  expect_matches_ref(m.graph());
}

INSTANTIATE_TEST_SUITE_P(
    Windows, PoolVsRef,
    ::testing::Values(
        PoolCase{
            "max2x2", "MaxPool", {2, 32, 8, 8}, attributes({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}})},
        PoolCase{"max_pads_strides",
                 "MaxPool",
                 {1, 16, 9, 11},
                 attributes({{"kernel_shape", Ints{3, 3}}, {"strides", Ints{2, 2}}, {"pads", Ints{1, 1, 1, 1}}})},
        PoolCase{"max_ceil_mode",
                 "MaxPool",
                 {1, 16, 9, 10},
                 attributes({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}, {"ceil_mode", int64_t{1}}})},
        PoolCase{"max_dilated",
                 "MaxPool",
                 {1, 8, 10, 10},
                 attributes({{"kernel_shape", Ints{2, 2}}, {"dilations", Ints{2, 2}}})},
        PoolCase{"max3d",
                 "MaxPool",
                 {2, 16, 5, 6, 6},
                 attributes({{"kernel_shape", Ints{2, 2, 2}}, {"strides", Ints{1, 2, 2}}})},
        PoolCase{"avg_exclude_pad",
                 "AveragePool",
                 {1, 16, 7, 7},
                 attributes({{"kernel_shape", Ints{3, 3}}, {"pads", Ints{1, 1, 1, 1}}})},
        PoolCase{
            "avg_include_pad",
            "AveragePool",
            {1, 16, 7, 7},
            attributes({{"kernel_shape", Ints{3, 3}}, {"pads", Ints{1, 1, 1, 1}}, {"count_include_pad", int64_t{1}}})},
        PoolCase{"avg_same_upper",
                 "AveragePool",
                 {1, 16, 7, 8},
                 attributes(
                     {{"kernel_shape", Ints{2, 3}}, {"strides", Ints{2, 2}}, {"auto_pad", std::string("SAME_UPPER")}})},
        PoolCase{"global_average", "GlobalAveragePool", {2, 32, 5, 7}, {}}),
    [](const ::testing::TestParamInfo<PoolCase>& info) { return std::string(info.param.name); });

// MaxPool's Indices output is s64, which oneDNN's pooling does not produce: compile refuses it by name.
TEST(OnednnPool, MaxPoolIndicesAreRefusedByName) {
  GraphMaker m;
  m.node("MaxPool", "y", {m.input("x", {1, 1, 4, 4})}, attributes({{"kernel_shape", Ints{2, 2}}}));
  Graph g = m.graph();
  g.nodes[0].outputs.push_back("indices");
  g.outputs = {{"y", DType::f32, {1, 1, 3, 3}}, {"indices", DType::s64, {1, 1, 3, 3}}};
  EXPECT_THAT([&] { OnednnBackend().compile(g, {}); },
              ::testing::ThrowsMessage<Error>(
                  ::testing::AllOf(::testing::HasSubstr("'y' (MaxPool)"), ::testing::HasSubstr("'indices' as s64"))));
}

}  // namespace
}  // namespace stride::testing
