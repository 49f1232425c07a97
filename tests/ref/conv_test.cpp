// Conv against values worked out by hand, and the window geometry it shares with the pools.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ref/one_node.h"
#include "stride/ir/cost.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride {
namespace {

using testing::attrs;
using ::testing::HasSubstr;
using testing::run_one_node_single;
using testing::tensor_near;
using ::testing::ThrowsMessage;

using Ints = std::vector<int64_t>;

Tensor iota(const Shape& shape, float start = 1.0f) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<float>(i);
  return Tensor::from_vector<float>(shape, v);
}

Tensor conv(const Tensor& x, const Tensor& w, Attributes a = {}) {
  return run_one_node_single("Conv", {{"x", x}, {"$w", w}}, std::move(a));
}

TEST(Conv, TwoDimensionalWithBias) {
  // x = 1..9 as 3×3; w = [[1,2],[3,4]]: y(0,0) = 1·1 + 2·2 + 4·3 + 5·4 = 37, and so on.
  const Tensor y = run_one_node_single("Conv", {{"x", iota({1, 1, 3, 3})},
                                                {"$w", Tensor::from_vector<float>({1, 1, 2, 2}, {1, 2, 3, 4})},
                                                {"$b", Tensor::from_vector<float>({1}, {1})}});
  EXPECT_TRUE(tensor_near(y, {1, 1, 2, 2}, {38, 48, 68, 78}));
}

TEST(Conv, MixesChannelsPerBatchRow) {
  // Filters: pick channel 0, pick channel 1, add both (+10 bias on the last).
  const Tensor x = Tensor::from_vector<float>({2, 2, 1, 1}, {1, 2, 3, 4});
  const Tensor w = Tensor::from_vector<float>({3, 2, 1, 1}, {1, 0, 0, 1, 1, 1});
  const Tensor y =
      run_one_node_single("Conv", {{"x", x}, {"$w", w}, {"$b", Tensor::from_vector<float>({3}, {0, 0, 10})}});
  EXPECT_TRUE(tensor_near(y, {2, 3, 1, 1}, {1, 2, 13, 3, 4, 17}));
}

TEST(Conv, PaddingAndStride) {
  // 3×3 box filter on 1..9 padded by 1, stride 2: each output sums a 2×2 corner of x.
  const Tensor y = conv(iota({1, 1, 3, 3}), Tensor::from_vector<float>({1, 1, 3, 3}, std::vector<float>(9, 1.0f)),
                        attrs({{"pads", Ints{1, 1, 1, 1}}, {"strides", Ints{2, 2}}}));
  EXPECT_TRUE(tensor_near(y, {1, 1, 2, 2}, {12, 16, 24, 28}));
}

TEST(Conv, AsymmetricPads) {
  const Tensor x = Tensor::from_vector<float>({1, 1, 1, 3}, {1, 2, 3});
  const Tensor w = Tensor::from_vector<float>({1, 1, 1, 2}, {1, 10});
  // pads = [h_begin, w_begin, h_end, w_end]. Padding on the left: [0,1,2,3] -> 10, 21, 32.
  EXPECT_TRUE(tensor_near(conv(x, w, attrs({{"pads", Ints{0, 1, 0, 0}}})), {1, 1, 1, 3}, {10, 21, 32}));
  // Padding on the right: [1,2,3,0] -> 21, 32, 3.
  EXPECT_TRUE(tensor_near(conv(x, w, attrs({{"pads", Ints{0, 0, 0, 1}}})), {1, 1, 1, 3}, {21, 32, 3}));
}

TEST(Conv, SameUpperPadsAtTheEndSameLowerAtTheBeginning) {
  // One element of padding is needed; UPPER puts it after x, LOWER before.
  const Tensor x = Tensor::from_vector<float>({1, 1, 4}, {1, 2, 3, 4});
  const Tensor w = Tensor::from_vector<float>({1, 1, 2}, {1, 10});
  EXPECT_TRUE(tensor_near(conv(x, w, attrs({{"auto_pad", std::string("SAME_UPPER")}})), {1, 1, 4}, {21, 32, 43, 4}));
  EXPECT_TRUE(tensor_near(conv(x, w, attrs({{"auto_pad", std::string("SAME_LOWER")}})), {1, 1, 4}, {10, 21, 32, 43}));
}

TEST(Conv, ValidKeepsOnlyWholeWindows) {
  const Tensor y = conv(iota({1, 1, 5}), Tensor::from_vector<float>({1, 1, 2}, {1, 1}),
                        attrs({{"auto_pad", std::string("VALID")}, {"strides", Ints{2}}}));
  EXPECT_TRUE(tensor_near(y, {1, 1, 2}, {3, 7}));
}

TEST(Conv, Dilation) {
  // Taps two apart: x[i] + x[i+2].
  const Tensor y =
      conv(iota({1, 1, 5}), Tensor::from_vector<float>({1, 1, 2}, {1, 1}), attrs({{"dilations", Ints{2}}}));
  EXPECT_TRUE(tensor_near(y, {1, 1, 3}, {4, 6, 8}));
}

TEST(Conv, GroupsSplitChannels) {
  // Two groups of two channels: filter 0 adds channels 0 and 1, filter 1 subtracts channel 3 from 2.
  const Tensor y = conv(Tensor::from_vector<float>({1, 4, 1, 1}, {1, 2, 3, 4}),
                        Tensor::from_vector<float>({2, 2, 1, 1}, {1, 1, 1, -1}), attrs({{"group", int64_t{2}}}));
  EXPECT_TRUE(tensor_near(y, {1, 2, 1, 1}, {3, -1}));
}

TEST(Conv, DepthwiseWithChannelMultiplier) {
  // group = C = 2 and four filters: filters 0, 1 read channel 0; filters 2, 3 read channel 1.
  const Tensor x = Tensor::from_vector<float>({1, 2, 1, 2}, {1, 2, 3, 4});
  const Tensor w = Tensor::from_vector<float>({4, 1, 1, 1}, {1, 2, 3, 4});
  EXPECT_TRUE(tensor_near(conv(x, w, attrs({{"group", int64_t{2}}})), {1, 4, 1, 2}, {1, 2, 2, 4, 9, 12, 12, 16}));
}

TEST(Conv, ThreeDimensional) {
  // Kernel spanning two frames: y[d,h,w] = x[d,h,w] + x[d+1,h,w] on x = 1..12 as 3×2×2.
  const Tensor y = conv(iota({1, 1, 3, 2, 2}), Tensor::from_vector<float>({1, 1, 2, 1, 1}, {1, 1}));
  EXPECT_TRUE(tensor_near(y, {1, 1, 2, 2, 2}, {6, 8, 10, 12, 14, 16, 18, 20}));
  // A full 2×2×2 box with stride 2 and kernel_shape given explicitly: the sum of 1..8.
  const Tensor box = conv(iota({1, 1, 2, 2, 2}), Tensor::from_vector<float>({1, 1, 2, 2, 2}, std::vector<float>(8, 1)),
                          attrs({{"kernel_shape", Ints{2, 2, 2}}, {"strides", Ints{2, 2, 2}}}));
  EXPECT_TRUE(tensor_near(box, {1, 1, 1, 1, 1}, {36}));
}

TEST(Conv, RefusesMismatchedShapesNamingTheNode) {
  const Tensor x = Tensor(DType::f32, {1, 3, 4, 4});
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {2, 2, 3, 3}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'conv' (Conv)"), HasSubstr("X has 3 channels"))));
  EXPECT_THAT(
      [&] {
        run_one_node_single("Conv",
                            {{"x", x}, {"$w", Tensor(DType::f32, {2, 3, 3, 3})}, {"$b", Tensor(DType::f32, {3})}});
      },
      ThrowsMessage<Error>(HasSubstr("bias B must be [2]")));
  EXPECT_THAT([&] { conv(x, Tensor(DType::f32, {2, 3, 3})); }, ThrowsMessage<Error>(HasSubstr("rank of X")));
  EXPECT_THAT(
      [&] {
        conv(Tensor(DType::f32, {3, 4}), Tensor(DType::f32, {2, 3}));
      },
      ThrowsMessage<Error>(HasSubstr("rank 3 to 5")));
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {2, 3, 5, 5}));
      },
      ThrowsMessage<Error>(HasSubstr("smaller than the window")));
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {2, 3, 3, 3}), attrs({{"kernel_shape", Ints{2, 2}}}));
      },
      ThrowsMessage<Error>(HasSubstr("kernel_shape [2,2] does not match")));
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {2, 3, 3, 3}), attrs({{"strides", Ints{1}}}));
      },
      ThrowsMessage<Error>(HasSubstr("'strides' has 1 values, expected 2")));
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {2, 3, 3, 3}), attrs({{"auto_pad", std::string("SAME")}}));
      },
      ThrowsMessage<Error>(HasSubstr("auto_pad must be")));
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {2, 3, 3, 3}),
             attrs({{"auto_pad", std::string("VALID")}, {"pads", Ints{1, 1, 1, 1}}}));
      },
      ThrowsMessage<Error>(HasSubstr("cannot be combined")));
  EXPECT_THAT(
      [&] {
        conv(x, Tensor(DType::f32, {3, 1, 3, 3}), attrs({{"group", int64_t{2}}}));
      },
      ThrowsMessage<Error>(HasSubstr("not divisible by group=2")));
}

TEST(Conv, RefKernelRefusesOtherThanF32) {
  EXPECT_THAT(
      [&] {
        conv(Tensor(DType::f16, {1, 1, 2, 2}), Tensor(DType::f16, {1, 1, 1, 1}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'conv'"), HasSubstr("f32 only"))));
}

TEST(Conv, MacsAndParams) {
  // Output [1, 6, 8, 8]; each output element takes C/group × 3 × 3 = 2 × 9 products.
  Graph g = testing::one_node_graph("Conv",
                                    {{"x", Tensor(DType::f32, {1, 4, 8, 8})},
                                     {"$w", Tensor(DType::f32, {6, 2, 3, 3})},
                                     {"$b", Tensor(DType::f32, {6})}},
                                    attrs({{"group", int64_t{2}}, {"pads", Ints{1, 1, 1, 1}}}));
  const ModelCost cost = model_cost(g);
  ASSERT_EQ(cost.layers.size(), 1u);
  EXPECT_EQ(cost.layers[0].output_shape, (Shape{1, 6, 8, 8}));
  EXPECT_EQ(cost.macs, 6 * 64 * 2 * 9);
  EXPECT_EQ(cost.params, 6 * 2 * 9 + 6);
  // With the batch left open, the batch given at cost time scales the count.
  g.inputs[0].shape[0] = -1;
  EXPECT_EQ(model_cost(g, {{"x", {3, 4, 8, 8}}}).macs, 3 * 6 * 64 * 2 * 9);
}

Node node_with(const std::string& op, Attributes a) { return Node{"n", op, {"x"}, {"y"}, std::move(a)}; }

TEST(WindowGeometry, SamePadsSplitTheOddElementByMode) {
  // Input 4, kernel 3, stride 2: output 2 needs (2-1)·2 + 3 − 4 = 1 element of padding.
  const Ints x{1, 1, 4}, w{1, 1, 3};
  const Ints strides{2};
  const WindowGeometry upper =
      conv_window(node_with("Conv", attrs({{"auto_pad", std::string("SAME_UPPER")}, {"strides", strides}})), x, w);
  EXPECT_EQ(upper.output, (Shape{2}));
  EXPECT_EQ(upper.pads_begin, (Ints{0}));
  EXPECT_EQ(upper.pads_end, (Ints{1}));
  const WindowGeometry lower =
      conv_window(node_with("Conv", attrs({{"auto_pad", std::string("SAME_LOWER")}, {"strides", strides}})), x, w);
  EXPECT_EQ(lower.pads_begin, (Ints{1}));
  EXPECT_EQ(lower.pads_end, (Ints{0}));
  // SAME with dilation counts the dilated extent: kernel 3 dilated by 2 covers 5, so 4 pads.
  const WindowGeometry dilated =
      conv_window(node_with("Conv", attrs({{"auto_pad", std::string("SAME_UPPER")}, {"dilations", Ints{2}}})), x, w);
  EXPECT_EQ(dilated.output, (Shape{4}));
  EXPECT_EQ(dilated.pads_begin, (Ints{2}));
  EXPECT_EQ(dilated.pads_end, (Ints{2}));
}

TEST(WindowGeometry, FloorPadsEndReproducesTheOutputWithFloorRounding) {
  // Input 6, kernel 3, stride 2, pads 1/1, ceil: 4 windows, the last reaching one past the padding.
  const WindowGeometry ceil = pool_window(
      node_with(
          "AveragePool",
          attrs({{"kernel_shape", Ints{3}}, {"strides", Ints{2}}, {"pads", Ints{1, 1}}, {"ceil_mode", int64_t{1}}})),
      Ints{1, 1, 6});
  EXPECT_EQ(ceil.output, (Shape{4}));
  EXPECT_EQ(ceil.floor_pads_end(0), 2);  // (6 + 1 + 2 - 3) / 2 + 1 = 4
  // Input 7, kernel 2, stride 4, no padding: windows [0,1] and [4,5]; the last element is never read.
  const WindowGeometry floor =
      pool_window(node_with("MaxPool", attrs({{"kernel_shape", Ints{2}}, {"strides", Ints{4}}})), Ints{1, 1, 7});
  EXPECT_EQ(floor.output, (Shape{2}));
  EXPECT_EQ(floor.floor_pads_end(0), -1);
}

TEST(WindowGeometry, CeilModeDropsAWindowStartingInTheEndPadding) {
  // Input 5, kernel 2, stride 2: floor gives 2 windows, ceil 3 (the last one half outside).
  const Ints x{1, 1, 5};
  EXPECT_EQ(pool_window(node_with("MaxPool", attrs({{"kernel_shape", Ints{2}}, {"strides", Ints{2}}})), x).output,
            (Shape{2}));
  EXPECT_EQ(
      pool_window(
          node_with("MaxPool", attrs({{"kernel_shape", Ints{2}}, {"strides", Ints{2}}, {"ceil_mode", int64_t{1}}})), x)
          .output,
      (Shape{3}));
  // Input 5, pad 1 each side, kernel 2, stride 2: ceil would give a 4th window starting at
  // padded position 6, which is the end padding, so it is dropped: 3 windows.
  EXPECT_EQ(pool_window(node_with("MaxPool", attrs({{"kernel_shape", Ints{2}},
                                                    {"strides", Ints{2}},
                                                    {"pads", Ints{1, 1}},
                                                    {"ceil_mode", int64_t{1}}})),
                        Ints{1, 1, 5})
                .output,
            (Shape{3}));
}

}  // namespace
}  // namespace stride
