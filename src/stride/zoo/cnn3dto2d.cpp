// The paper's 3Dto2D-CNN (Ruiz-Barroso et al. 2022, §5.5.2): the 3D-CNN with every Conv3D (kt, kh, kw) replaced
// by a spatial Conv2D (kh, kw) applied to each frame (frames folded into the batch) and a
// temporal Conv2D (kt, 1) over the (frames × H·W) plane of each clip, so that hardware and
// runtimes without 3-D convolutions can run it. ReLU follows both halves where the 3-D layer has
// one, as in Embedded-Gait's `branch3dto2d1d`.
#include "stride/zoo/cnn3d_layers.h"
#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {
namespace {

// A clip between layers, in the layout the temporal convolution reads: [N, C, T, H·W].
struct Clip {
  std::string value;
  int64_t channels;
  int64_t frames;
  int64_t height;
  int64_t width;
};

Clip conv3d_as_2d(GraphBuilder& b, const ModelSetup& setup, const Conv3dLayer& layer, const Clip& in) {
  const auto [kt, kh, kw] = layer.kernel;
  const auto [st, sh, sw] = layer.stride;
  const WeightInit init = layer.relu ? WeightInit::he_normal : WeightInit::glorot_uniform;
  const int64_t filters = setup.channels(layer.filters);
  const int64_t height = setup.window_output(layer.name, in.height, kh, sh);
  const int64_t width = setup.window_output(layer.name, in.width, kw, sw);
  const int64_t frames = setup.window_output(layer.name, in.frames, kt, st);

  b.scope(std::string(layer.name) + "/spatial");
  // [N, C, T, HW] → [N, T, C, HW] → [N·T, C, H, W]: every frame an image of its own.
  std::string x = b.transpose(in.value, {0, 2, 1, 3});
  x = b.reshape(x, {-1, in.channels, in.height, in.width});
  x = b.conv(
      x, {.in_channels = in.channels, .out_channels = filters, .kernel = {kh, kw}, .strides = {sh, sw}, .init = init});
  if (layer.relu) x = b.relu(x);
  // [N·T, C', H', W'] → [N, T, C', H'W'] → [N, C', T, H'W'].
  x = b.reshape(x, {-1, in.frames, filters, height * width});
  x = b.transpose(x, {0, 2, 1, 3});

  // A (1, 1) temporal kernel with stride 1 would only be a second pointwise convolution: the
  // spatial one already is the whole layer (Embedded-Gait likewise keeps one layer for conv7).
  if (kt > 1 || st > 1) {
    b.scope(std::string(layer.name) + "/temporal");
    x = b.conv(x,
               {.in_channels = filters, .out_channels = filters, .kernel = {kt, 1}, .strides = {st, 1}, .init = init});
    if (layer.relu) x = b.relu(x);
  }
  return {x, filters, frames, height, width};
}

}  // namespace

Graph build_cnn3dto2d(const ZooOptions& options) {
  const ModelSetup setup = resolve_options("cnn3dto2d", options, kTumGaidFlow);
  GraphBuilder b("cnn3dto2d", setup.seed);
  const std::string flow = b.input("flow", {setup.batch, kFlowComponents, setup.frames, setup.height, setup.width});
  b.scope("input");
  Clip clip{b.reshape(flow, {-1, kFlowComponents, setup.frames, setup.height * setup.width}), kFlowComponents,
            setup.frames, setup.height, setup.width};
  for (const Conv3dLayer& layer : kCnn3dLayers) clip = conv3d_as_2d(b, setup, layer, clip);
  b.scope("flatten");
  const std::string feature = b.flatten(clip.value);
  return finish_model(std::move(b), setup, feature, {clip.channels * clip.frames * clip.height * clip.width});
}

}  // namespace stride::zoo
