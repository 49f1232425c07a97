// The activation criterion against hand-computed means: a 1×1 convolution with filters w_c over a
// constant input x scores each channel |w_c|·|x|, over batches of any size.
#include <gtest/gtest.h>

#include "stride/compress/importance.h"
#include "stride/engine/ref/ref_backend.h"

namespace stride::compress {
namespace {

Graph one_conv() {
  Graph g;
  g.name = "one_conv";
  g.inputs = {{"x", DType::f32, {-1, 1, 2, 2}}};
  g.outputs = {{"y", DType::f32, {-1, 2, 2, 2}}};
  g.initializers["w"] = Tensor::from_vector<float>({2, 1, 1, 1}, {1.0f, -3.0f});
  Node conv{"conv", "Conv", {"x", "w"}, {"c"}, {}};
  conv.attrs.set("kernel_shape", std::vector<int64_t>{1, 1});
  g.nodes = {conv, {"relu", "Relu", {"c"}, {"y"}, {}}};
  return g;
}

Tensor filled(Shape shape, float value) {
  Tensor t(DType::f32, std::move(shape));
  for (float& v : t.values<float>()) v = value;
  return t;
}

TEST(ActivationScores, AreTheMeanAbsoluteOutputsPerChannelOverBatchesOfAnySize) {
  const Graph g = one_conv();
  const ChannelGroups groups = find_channel_groups(g);
  ASSERT_EQ(groups.groups.size(), 1u);
  // A batch of 3 at x = 2, then a shorter one of 1 at x = 4: per-sample means 2|w| and 4|w|.
  const std::vector<TensorMap> samples = {{{"x", filled({3, 1, 2, 2}, 2.0f)}}, {{"x", filled({1, 1, 2, 2}, 4.0f)}}};
  const ChannelScores scores = activation_scores(g, groups, RefBackend(), samples);
  const std::vector<double>& s = scores.at(groups.groups[0].id);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[0], (2.0 + 4.0) / 2);
  EXPECT_DOUBLE_EQ(s[1], (6.0 + 12.0) / 2);
}

}  // namespace
}  // namespace stride::compress
