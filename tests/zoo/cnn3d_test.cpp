#include <gtest/gtest.h>

#include "layer_table.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

// Batch 1 at the paper's size: [1, 2, 25, 60, 60] (flow components, frames, height, width).
// Per axis (t, h, w), valid: out = (in - k) / s + 1.
//   conv1 k(3,5,5) s(1,2,2): 25,60,60 → 23,28,28     conv2 k3 s(1,2,2): → 21,13,13
//   conv3 k3 s2: → 10,6,6    conv4 k3 s2: → 4,2,2    conv5 k(3,2,2): → 2,1,1
//   conv6 k(2,1,1): → 1,1,1  conv7 k1: → 1,1,1
TEST(Cnn3d, LayerCostsAtThePapersSize) {
  const Graph g = build_model("cnn3d");
  const ModelCost c = model_cost(g);
  zoo_test::expect_layer_table(
      c, {
             {"conv1/Conv", {1, 64, 23, 28, 28}, 2 * 64 * 75 + 64, int64_t{64} * 23 * 28 * 28 * 2 * 75},
             {"conv2/Conv", {1, 128, 21, 13, 13}, 64 * 128 * 27 + 128, int64_t{128} * 21 * 13 * 13 * 64 * 27},
             {"conv3/Conv", {1, 256, 10, 6, 6}, 128 * 256 * 27 + 256, int64_t{256} * 10 * 6 * 6 * 128 * 27},
             {"conv4/Conv", {1, 512, 4, 2, 2}, 256 * 512 * 27 + 512, int64_t{512} * 4 * 2 * 2 * 256 * 27},
             {"conv5/Conv", {1, 512, 2, 1, 1}, 512 * 512 * 12 + 512, 512 * 2 * 512 * 12},
             {"conv6/Conv", {1, 512, 1, 1, 1}, 512 * 512 * 2 + 512, 512 * 512 * 2},
             {"conv7/Conv", {1, 1024, 1, 1, 1}, 512 * 1024 + 1024, 1024 * 512},
             {"classifier/Gemm", {1, 150}, 1024 * 150 + 150, 1024 * 150},
         });
  EXPECT_EQ(zoo_test::layer_shape(c, "flatten/Flatten"), (Shape{1, 1024}));
  // conv7 is the linear "code": no activation after it.
  for (const Node& n : g.nodes) EXPECT_FALSE(n.op_type == "Relu" && n.inputs[0] == "conv7/Conv") << n.name;

  // 9,664 + 221,312 + 884,992 + 3,539,456 + 3,146,240 + 524,800 + 525,312 + 153,750.
  EXPECT_EQ(c.params, 9'005'526);
  EXPECT_EQ(zoo_test::float_parameters(g), 9'005'526);
  // 173,107,200 + 784,982,016 + 318,504,960 + 56,623,104 + 6,291,456 + 524,288 + 524,288 + 153,600.
  EXPECT_EQ(c.macs, 1'340'710'912);
  // Table 2 of Ruiz-Barroso et al. 2022: 2.69 GFLOP (this graph: 2.68).
  EXPECT_NEAR(static_cast<double>(c.flops()) / 1e9, paper_table2("cnn3d")->gflop, 0.015);
}

// As for the 2D-CNN (see cnn2d_test.cpp): Table 2's 9.90 M is this graph with Embedded-Gait's
// extra 1024-unit dense "code" layer after the flattened conv7 and without the softmax layer.
TEST(Cnn3d, ParameterCountReconcilesWithTable2) {
  const ModelCost c = model_cost(build_model("cnn3d"));
  const int64_t softmax_layer = 1024 * 150 + 150;
  const int64_t second_code_layer = 1024 * 1024 + 1024;
  const double table2 = paper_table2("cnn3d")->params_millions * 1e6;
  EXPECT_GT(std::abs(static_cast<double>(c.params) - table2), 0.8e6);
  EXPECT_NEAR(static_cast<double>(c.params - softmax_layer + second_code_layer), table2, 5e3);
}

}  // namespace
}  // namespace stride
