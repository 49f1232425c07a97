#include <gtest/gtest.h>

#include "layer_table.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

// Batch 1 at the paper's size. Each Conv3D (kt,kh,kw)/(st,sh,sw) of cnn3d becomes a spatial conv
// (kh,kw)/(sh,sw) on [N·T, C, H, W] and a temporal conv (kt,1)/(st,1) on [N, C, T, H·W]; the
// sizes follow cnn3d's (see cnn3d_test.cpp). conv7 (1,1,1) keeps its spatial half only.
TEST(Cnn3dTo2d, LayerCostsAtThePapersSize) {
  const Graph g = build_model("cnn3dto2d");
  const ModelCost c = model_cost(g);
  zoo_test::expect_layer_table(
      c, {
             {"conv1/spatial/Conv", {25, 64, 28, 28}, 2 * 64 * 25 + 64, int64_t{25} * 64 * 28 * 28 * 2 * 25},
             {"conv1/temporal/Conv", {1, 64, 23, 784}, 64 * 64 * 3 + 64, int64_t{64} * 23 * 784 * 64 * 3},
             {"conv2/spatial/Conv", {23, 128, 13, 13}, 64 * 128 * 9 + 128, int64_t{23} * 128 * 169 * 64 * 9},
             {"conv2/temporal/Conv", {1, 128, 21, 169}, 128 * 128 * 3 + 128, int64_t{128} * 21 * 169 * 128 * 3},
             {"conv3/spatial/Conv", {21, 256, 6, 6}, 128 * 256 * 9 + 256, int64_t{21} * 256 * 36 * 128 * 9},
             {"conv3/temporal/Conv", {1, 256, 10, 36}, 256 * 256 * 3 + 256, int64_t{256} * 10 * 36 * 256 * 3},
             {"conv4/spatial/Conv", {10, 512, 2, 2}, 256 * 512 * 9 + 512, int64_t{10} * 512 * 4 * 256 * 9},
             {"conv4/temporal/Conv", {1, 512, 4, 4}, 512 * 512 * 3 + 512, int64_t{512} * 4 * 4 * 512 * 3},
             {"conv5/spatial/Conv", {4, 512, 1, 1}, 512 * 512 * 4 + 512, 4 * 512 * 512 * 4},
             {"conv5/temporal/Conv", {1, 512, 2, 1}, 512 * 512 * 3 + 512, 512 * 2 * 512 * 3},
             {"conv6/spatial/Conv", {2, 512, 1, 1}, 512 * 512 + 512, 2 * 512 * 512},
             {"conv6/temporal/Conv", {1, 512, 1, 1}, 512 * 512 * 2 + 512, 512 * 512 * 2},
             {"conv7/spatial/Conv", {1, 1024, 1, 1}, 512 * 1024 + 1024, 1024 * 512},
             {"classifier/Gemm", {1, 150}, 1024 * 150 + 150, 1024 * 150},
         });
  EXPECT_EQ(zoo_test::layer_shape(c, "input/Reshape"), (Shape{1, 2, 25, 3600}));
  EXPECT_EQ(zoo_test::layer_shape(c, "conv1/spatial/Reshape"), (Shape{25, 2, 60, 60}));
  EXPECT_EQ(zoo_test::layer_shape(c, "conv1/spatial/Transpose_2"), (Shape{1, 64, 25, 784}));
  EXPECT_EQ(zoo_test::layer_shape(c, "flatten/Flatten"), (Shape{1, 1024}));

  EXPECT_EQ(c.params, 5'900'438);
  EXPECT_EQ(zoo_test::float_parameters(g), 5'900'438);
  // 62,720,000 + 221,577,216 + 286,580,736 + 174,440,448 + 222,953,472 + 70,778,880 + 47,185,920
  // + 12,582,912 + 4,194,304 + 1,572,864 + 524,288 + 524,288 + 524,288 + 153,600.
  EXPECT_EQ(c.macs, 1'106'313'216);
}

// The point of the model (Ruiz-Barroso et al. 2022, §5.5.2): no 3-D convolution anywhere, and a cost between the
// 2D-CNN's and the 3D-CNN's.
TEST(Cnn3dTo2d, HasOnly2dConvolutionsAndSitsBetweenTheOtherModels) {
  const Graph g = build_model("cnn3dto2d");
  for (const Node& n : g.nodes) {
    if (n.op_type == "Conv") {
      EXPECT_EQ(n.attrs.get_ints("kernel_shape").size(), 2u) << n.name;
    }
  }
  const int64_t macs = model_cost(g).macs;
  EXPECT_GT(macs, model_cost(build_model("cnn2d")).macs);
  EXPECT_LT(macs, model_cost(build_model("cnn3d")).macs);
}

}  // namespace
}  // namespace stride
