// GaitSet against a LibTorch re-implementation that follows the structure of GaitSet's reference
// implementation (per-frame convolutions, max over frames, view(n, c, bin, -1) strips).
#include <gtest/gtest.h>

#include "stride/zoo/zoo.h"
#include "torch_oracle.h"

namespace stride::zoo_torch {
namespace {

TorchOutputs gaitset(LayerWeights& w, const at::Tensor& silhouettes) {
  const int64_t n = silhouettes.size(0), frames = silhouettes.size(1);
  auto basic_conv = [&](const at::Tensor& x) {
    const auto conv = w.next("Conv");
    EXPECT_FALSE(conv.bias.defined());
    return at::leaky_relu(at::conv2d(x, conv.weight, {}, 1, conv.weight.size(2) / 2), 0.01);
  };
  auto frame_max = [&](const at::Tensor& x) { return x.view({n, frames, x.size(1), x.size(2), x.size(3)}).amax(1); };
  auto pool = [](const at::Tensor& x) { return at::max_pool2d(x, {2, 2}, {2, 2}); };

  at::Tensor x = silhouettes.reshape({n * frames, 1, silhouettes.size(2), silhouettes.size(3)});
  x = pool(basic_conv(basic_conv(x)));
  at::Tensor gl = pool(basic_conv(basic_conv(frame_max(x))));
  x = pool(basic_conv(basic_conv(x)));
  gl = basic_conv(basic_conv(gl + frame_max(x)));
  x = frame_max(basic_conv(basic_conv(x)));
  gl = gl + x;

  std::vector<at::Tensor> parts;
  for (int64_t bins : {1, 2, 4, 8, 16}) {
    for (const at::Tensor& t : {x, gl}) {
      const at::Tensor strips = t.reshape({n, t.size(1), bins, -1});
      parts.push_back(strips.mean(3) + strips.amax(3));
    }
  }
  const at::Tensor fc_bin = w.next("MatMul").weight;
  const at::Tensor feature = at::cat(parts, 2).permute({2, 0, 1}).matmul(fc_bin).permute({1, 0, 2});
  return with_classifier(w, feature);
}

TEST(ZooVsTorch, GaitSetSmallWithClassifier) {
  ZooOptions o;
  o.width_mult = 0.25;
  o.height = 32;
  o.width = 32;
  o.frames = 6;
  o.classes = 10;
  o.seed = 4;
  expect_matches_torch(build_model("gaitset", o), gaitset, {1, 3});
}

TEST(ZooVsTorch, GaitSetAtThePapersSize) { expect_matches_torch(build_model("gaitset"), gaitset, {1}); }

}  // namespace
}  // namespace stride::zoo_torch
