// The optical-flow models (cnn2d, cnn3d, cnn3dto2d) against LibTorch re-implementations written
// from the paper (Ruiz-Barroso et al. 2022, §4.1.2), on small widths and inputs so that the ref backend runs quickly.
#include <gtest/gtest.h>

#include <array>

#include "stride/zoo/zoo.h"
#include "torch_oracle.h"

namespace stride::zoo_torch {
namespace {

TorchOutputs cnn2d(LayerWeights& w, const at::Tensor& input) {
  at::Tensor x = input;
  for (int block = 0; block < 4; ++block) {
    const auto conv = w.next("Conv");
    x = at::max_pool2d(at::relu(at::conv2d(x, conv.weight, conv.bias)), {2, 2}, {2, 2});
  }
  x = x.flatten(1);
  for (int dense = 0; dense < 2; ++dense) {  // dense 2048, then the 1024 "code"; both linear
    const auto fc = w.next("Gemm");
    x = at::linear(x, fc.weight, fc.bias);
  }
  return with_classifier(w, x);
}

// The 3D-CNN's strides (t, h, w); every layer but the last is followed by ReLU.
constexpr std::array<std::array<int64_t, 3>, 7> kStrides3d = {
    {{1, 2, 2}, {1, 2, 2}, {2, 2, 2}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}}};

TorchOutputs cnn3d(LayerWeights& w, const at::Tensor& input) {
  at::Tensor x = input;
  for (size_t i = 0; i < kStrides3d.size(); ++i) {
    const auto conv = w.next("Conv");
    x = at::conv3d(x, conv.weight, conv.bias, kStrides3d[i]);
    if (i + 1 < kStrides3d.size()) x = at::relu(x);
  }
  return with_classifier(w, x.flatten(1));
}

// The factorised model, computed without any reshaping: the spatial (kh, kw) convolution is a
// Conv3D of kernel (1, kh, kw) and the temporal (kt, 1) one a Conv3D of kernel (kt, 1, 1), each
// directly on the [N, C, T, H, W] clip. The last layer (1×1×1) has no temporal half.
TorchOutputs cnn3dto2d(LayerWeights& w, const at::Tensor& input) {
  at::Tensor x = input;
  for (size_t i = 0; i < kStrides3d.size(); ++i) {
    const auto [st, sh, sw] = kStrides3d[i];
    const bool last = i + 1 == kStrides3d.size();
    const auto spatial = w.next("Conv");
    x = at::conv3d(x, spatial.weight.unsqueeze(2), spatial.bias, {1, sh, sw});
    if (!last) x = at::relu(x);
    if (last) continue;
    const auto temporal = w.next("Conv");
    x = at::relu(at::conv3d(x, temporal.weight.unsqueeze(-1), temporal.bias, {st, 1, 1}));
  }
  return with_classifier(w, x.flatten(1));
}

ZooOptions small(int64_t height, int64_t width, int64_t frames) {
  ZooOptions o;
  o.width_mult = 0.25;
  o.height = height;
  o.width = width;
  o.frames = frames;
  o.classes = 10;
  o.seed = 21;
  return o;
}

// 8 flow frames of 48×48: 48 → 42 → 21 → 17 → 8 → 6 → 3 → 2 → 1.
TEST(ZooVsTorch, Cnn2d) { expect_matches_torch(build_model("cnn2d", small(48, 48, 4)), cnn2d, {1, 3}); }

// 23 frames of 49×49, the smallest clip the 3-D layers take (see tests/zoo).
TEST(ZooVsTorch, Cnn3d) { expect_matches_torch(build_model("cnn3d", small(49, 49, 23)), cnn3d, {1, 3}); }

TEST(ZooVsTorch, Cnn3dTo2d) { expect_matches_torch(build_model("cnn3dto2d", small(49, 49, 23)), cnn3dto2d, {1, 3}); }

// A larger clip keeps more than one value on every axis of the last map ([C, 2, 3, 2]), so the
// feature's flattening order (C, T, H, W) is compared too:
//   t: 27 → 25 → 23 → 11 → 5 → 3 → 2;  h: 81 → 39 → 19 → 9 → 4 → 3;  w: 65 → 31 → 15 → 7 → 3 → 2.
TEST(ZooVsTorch, Cnn3dTo2dKeepsTheClipsLayout) {
  ZooOptions o = small(81, 65, 27);
  o.classes = 0;
  expect_matches_torch(build_model("cnn3dto2d", o), cnn3dto2d, {2});
}

}  // namespace
}  // namespace stride::zoo_torch
