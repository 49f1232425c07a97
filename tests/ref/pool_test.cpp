// MaxPool, AveragePool and GlobalAveragePool against values worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "ref/one_node.h"
#include "stride/ir/cost.h"

namespace stride {
namespace {

using testing::attrs;
using ::testing::HasSubstr;
using testing::run_one_node_single;
using testing::tensor_near;
using ::testing::ThrowsMessage;

using Ints = std::vector<int64_t>;

Tensor row(const std::vector<float>& values) {
  return Tensor::from_vector<float>({1, 1, static_cast<int64_t>(values.size())}, values);
}

Tensor iota(const Shape& shape) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i + 1);
  return Tensor::from_vector<float>(shape, v);
}

Tensor pool(const std::string& op, const Tensor& x, Attributes a) {
  return run_one_node_single(op, {{"x", x}}, std::move(a));
}

TEST(MaxPool, TwoByTwoStrideTwo) {
  EXPECT_TRUE(
      tensor_near(pool("MaxPool", iota({1, 1, 4, 4}), attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}})),
                  {1, 1, 2, 2}, {6, 8, 14, 16}));
}

TEST(MaxPool, EachChannelOfEachBatchRowSeparately) {
  // x[n, c] = 4 values; a window of 4 takes the max of each plane.
  const Tensor x = Tensor::from_vector<float>({2, 2, 4}, {1, 9, 2, 3, -1, -5, -2, -3, 0, 0, 7, 0, 4, 3, 2, 1});
  EXPECT_TRUE(tensor_near(pool("MaxPool", x, attrs({{"kernel_shape", Ints{4}}})), {2, 2, 1}, {9, -1, 7, 4}));
}

TEST(MaxPool, PaddingNeverWins) {
  // Negative inputs: a zero pad would win if padding were zeros.
  EXPECT_TRUE(tensor_near(pool("MaxPool", row({3, -1, -2}), attrs({{"kernel_shape", Ints{2}}, {"pads", Ints{1, 1}}})),
                          {1, 1, 4}, {3, 3, -1, -2}));
}

TEST(MaxPool, Dilation) {
  EXPECT_TRUE(
      tensor_near(pool("MaxPool", row({1, 5, 2, 4, 3}), attrs({{"kernel_shape", Ints{2}}, {"dilations", Ints{2}}})),
                  {1, 1, 3}, {2, 5, 3}));
}

TEST(MaxPool, CeilModeKeepsThePartialWindow) {
  const Attributes floor_mode = attrs({{"kernel_shape", Ints{2}}, {"strides", Ints{2}}});
  Attributes ceil_mode = floor_mode;
  ceil_mode.set("ceil_mode", int64_t{1});
  EXPECT_TRUE(tensor_near(pool("MaxPool", row({1, 2, 3, 4, 5}), floor_mode), {1, 1, 2}, {2, 4}));
  EXPECT_TRUE(tensor_near(pool("MaxPool", row({1, 2, 3, 4, 5}), ceil_mode), {1, 1, 3}, {2, 4, 5}));
}

TEST(MaxPool, SameUpperAndSameLower) {
  // Kernel 2 needs one pad: after x (UPPER) or before it (LOWER).
  EXPECT_TRUE(tensor_near(
      pool("MaxPool", row({1, 3, 2, 4}), attrs({{"kernel_shape", Ints{2}}, {"auto_pad", std::string("SAME_UPPER")}})),
      {1, 1, 4}, {3, 3, 4, 4}));
  EXPECT_TRUE(tensor_near(
      pool("MaxPool", row({1, 3, 2, 4}), attrs({{"kernel_shape", Ints{2}}, {"auto_pad", std::string("SAME_LOWER")}})),
      {1, 1, 4}, {1, 3, 3, 4}));
}

TEST(MaxPool, ThreeDimensional) {
  EXPECT_TRUE(tensor_near(pool("MaxPool", iota({1, 1, 2, 2, 2}), attrs({{"kernel_shape", Ints{2, 2, 2}}})),
                          {1, 1, 1, 1, 1}, {8}));
  // Kernel 1×2×2 keeps the frames apart.
  EXPECT_TRUE(tensor_near(pool("MaxPool", iota({1, 1, 2, 2, 2}), attrs({{"kernel_shape", Ints{1, 2, 2}}})),
                          {1, 1, 2, 1, 1}, {4, 8}));
}

// MaxPool's Indices: the flat index of each max in all of X, its (n, c) plane included, numbered
// row-major or (storage_order=1) column-major. Plane 0 is [[1, 9, 2], [8, 3, 7], [4, 6, 5]]; plane 1
// is zeros but its last element, so that ties go to the first of the window in row-major order.
TEST(MaxPool, IndicesRowMajorAndColumnMajor) {
  const Tensor x = Tensor::from_vector<float>({1, 2, 3, 3}, {1, 9, 2, 8, 3, 7, 4, 6, 5,  //
                                                             0, 0, 0, 0, 0, 0, 0, 0, 5});
  auto run = [&](int64_t storage_order) {
    return testing::run_one_node("MaxPool", {{"x", x}},
                                 attrs({{"kernel_shape", Ints{2, 2}}, {"storage_order", storage_order}}), size_t{2});
  };
  const TensorMap row_major = run(0);
  EXPECT_TRUE(tensor_near(row_major.at("out0"), {1, 2, 2, 2}, {9, 9, 8, 7, 0, 0, 0, 5}));
  EXPECT_EQ(row_major.at("out1"), Tensor::from_vector<int64_t>({1, 2, 2, 2}, {1, 1, 3, 5, 9, 10, 12, 17}));
  EXPECT_EQ(run(1).at("out1"), Tensor::from_vector<int64_t>({1, 2, 2, 2}, {3, 3, 1, 7, 9, 12, 10, 17}));
}

// In 3-D, column-major puts the first spatial dimension fastest: X[0, 0, 1, 0, 0] of a 2×2×2 plane
// is element 4 row-major, 1 column-major. Padding never counts in an index.
TEST(MaxPool, IndicesInThreeDimensionsAndWithPadding) {
  const Tensor x = Tensor::from_vector<float>({1, 1, 2, 2, 2}, {0, 0, 0, 0, 9, 0, 0, 0});
  for (const auto& [storage_order, index] : {std::pair{int64_t{0}, int64_t{4}}, std::pair{int64_t{1}, int64_t{1}}}) {
    const TensorMap y = testing::run_one_node(
        "MaxPool", {{"x", x}}, attrs({{"kernel_shape", Ints{2, 2, 2}}, {"storage_order", storage_order}}), size_t{2});
    EXPECT_EQ(y.at("out1"), Tensor::from_vector<int64_t>({1, 1, 1, 1, 1}, {index}));
  }
  const TensorMap padded = testing::run_one_node("MaxPool", {{"x", row({-3, -1, -2})}},
                                                 attrs({{"kernel_shape", Ints{2}}, {"pads", Ints{1, 1}}}), size_t{2});
  EXPECT_TRUE(tensor_near(padded.at("out0"), {1, 1, 4}, {-3, -1, -1, -2}));
  EXPECT_EQ(padded.at("out1"), Tensor::from_vector<int64_t>({1, 1, 4}, {0, 1, 1, 2}));
}

TEST(MaxPool, RefusesMalformedAttributes) {
  const Tensor x = iota({1, 1, 4, 4});
  EXPECT_THAT(
      [&] {
        pool("MaxPool", x, attrs({{"kernel_shape", Ints{2, 2}}, {"storage_order", int64_t{2}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'maxpool' (MaxPool)"), HasSubstr("storage_order"))));
  EXPECT_THAT([&] { pool("MaxPool", x, {}); }, ThrowsMessage<Error>(HasSubstr("'kernel_shape' is required")));
  EXPECT_THAT(
      [&] {
        pool("MaxPool", x, attrs({{"kernel_shape", Ints{2}}}));
      },
      ThrowsMessage<Error>(HasSubstr("'kernel_shape' has 1 values, expected 2")));
  EXPECT_THAT(
      [&] {
        pool("MaxPool", x, attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{0, 1}}}));
      },
      ThrowsMessage<Error>(HasSubstr("'strides' values must be at least 1")));
  EXPECT_THAT(
      [&] {
        pool("MaxPool", x, attrs({{"kernel_shape", Ints{2, 2}}, {"pads", Ints{1, 1}}}));
      },
      ThrowsMessage<Error>(HasSubstr("'pads' has 2 values, expected 4")));
  EXPECT_THAT(
      [&] {
        pool("MaxPool", x, attrs({{"kernel_shape", Ints{5, 5}}}));
      },
      ThrowsMessage<Error>(HasSubstr("smaller than the window")));
}

TEST(AveragePool, TwoByTwoStrideTwo) {
  EXPECT_TRUE(tensor_near(
      pool("AveragePool", iota({1, 1, 4, 4}), attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}})),
      {1, 1, 2, 2}, {3.5f, 5.5f, 11.5f, 13.5f}));
}

TEST(AveragePool, CountIncludePad) {
  // Windows [pad,1] [1,2] [2,3] [3,pad].
  const Attributes a = attrs({{"kernel_shape", Ints{2}}, {"pads", Ints{1, 1}}});
  EXPECT_TRUE(tensor_near(pool("AveragePool", row({1, 2, 3}), a), {1, 1, 4}, {1, 1.5f, 2.5f, 3}));
  Attributes include = a;
  include.set("count_include_pad", int64_t{1});
  EXPECT_TRUE(tensor_near(pool("AveragePool", row({1, 2, 3}), include), {1, 1, 4}, {0.5f, 1.5f, 2.5f, 1.5f}));
}

TEST(AveragePool, CeilModeWindowPastThePaddingCountsOnlyThePadding) {
  // x = 1..6 padded by one each side, kernel 3, stride 2, ceil: windows [pad,1,2] [2,3,4] [4,5,6]
  // and [6,pad,(outside)]; with count_include_pad the last one divides by 2, not 3.
  const Attributes a =
      attrs({{"kernel_shape", Ints{3}}, {"strides", Ints{2}}, {"pads", Ints{1, 1}}, {"ceil_mode", int64_t{1}}});
  EXPECT_TRUE(tensor_near(pool("AveragePool", row({1, 2, 3, 4, 5, 6}), a), {1, 1, 4}, {1.5f, 3, 5, 6}));
  Attributes include = a;
  include.set("count_include_pad", int64_t{1});
  EXPECT_TRUE(tensor_near(pool("AveragePool", row({1, 2, 3, 4, 5, 6}), include), {1, 1, 4}, {1, 3, 5, 3}));
}

TEST(AveragePool, ThreeDimensionalAndSameLower) {
  EXPECT_TRUE(tensor_near(pool("AveragePool", iota({1, 1, 2, 2, 2}), attrs({{"kernel_shape", Ints{2, 2, 2}}})),
                          {1, 1, 1, 1, 1}, {4.5f}));
  // SAME_LOWER pads before x; the padded element is not counted: [pad,1] -> 1.
  EXPECT_TRUE(tensor_near(
      pool("AveragePool", row({1, 3, 5}), attrs({{"kernel_shape", Ints{2}}, {"auto_pad", std::string("SAME_LOWER")}})),
      {1, 1, 3}, {1, 2, 4}));
}

TEST(AveragePool, RefusesABadFlag) {
  EXPECT_THAT(
      [&] {
        pool("AveragePool", row({1, 2}), attrs({{"kernel_shape", Ints{2}}, {"count_include_pad", int64_t{2}}}));
      },
      ThrowsMessage<Error>(HasSubstr("count_include_pad must be 0 or 1")));
}

// A window wholly inside the padding would average nothing (0/0) or take the max of nothing:
// shape inference refuses a pad that reaches a whole window, as oneDNN and LibTorch do.
TEST(AveragePool, RefusesPadsAsLargeAsTheWindow) {
  for (const std::string op : {"AveragePool", "MaxPool"}) {
    std::string node = op;
    std::transform(node.begin(), node.end(), node.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const Ints& pads : {Ints{2, 0}, Ints{0, 2}, Ints{3, 3}}) {
      EXPECT_THAT(
          [&] {
            pool(op, row({1, 2, 3}), attrs({{"kernel_shape", Ints{2}}, {"pads", pads}}));
          },
          ThrowsMessage<Error>(
              AllOf(HasSubstr("node '" + node + "' (" + op + ")"), HasSubstr("pads"), HasSubstr("window"))))
          << op << " pads " << pads[0] << "," << pads[1];
    }
  }
  // The pad may reach up to the window's last tap: with dilation 2 a kernel of 2 spans 3 elements.
  EXPECT_TRUE(tensor_near(pool("AveragePool", row({1, 2, 3}),
                               attrs({{"kernel_shape", Ints{2}}, {"dilations", Ints{2}}, {"pads", Ints{2, 2}}})),
                          {1, 1, 5}, {1, 2, 2, 2, 3}));
  EXPECT_TRUE(tensor_near(pool("AveragePool", row({1, 2, 3}), attrs({{"kernel_shape", Ints{3}}, {"pads", Ints{2, 2}}})),
                          {1, 1, 5}, {1, 1.5f, 2, 2.5f, 3}));
}

TEST(GlobalAveragePool, MeanOfEachPlane) {
  const Tensor x = Tensor::from_vector<float>({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 9});
  EXPECT_TRUE(tensor_near(run_one_node_single("GlobalAveragePool", {{"x", x}}), {1, 2, 1, 1}, {2.5f, 6.75f}));
  EXPECT_TRUE(tensor_near(run_one_node_single("GlobalAveragePool", {{"x", iota({2, 1, 3})}}), {2, 1, 1}, {2, 5}));
  EXPECT_TRUE(
      tensor_near(run_one_node_single("GlobalAveragePool", {{"x", iota({1, 1, 2, 1, 2})}}), {1, 1, 1, 1, 1}, {2.5f}));
  EXPECT_THAT(
      [&] {
        run_one_node_single("GlobalAveragePool", {{"x", iota({2, 3})}});
      },
      ThrowsMessage<Error>(HasSubstr("N×C×D1")));
}

TEST(Pooling, CountsNoMacs) {
  const Graph g = testing::one_node_graph("MaxPool", {{"x", Tensor(DType::f32, {1, 2, 4, 4})}},
                                          attrs({{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}}));
  const ModelCost cost = model_cost(g);
  EXPECT_EQ(cost.macs, 0);
  EXPECT_EQ(cost.activations, 2 * 2 * 2);
}

}  // namespace
}  // namespace stride
