// The paper's 3D-CNN (Ruiz-Barroso et al. 2022, §4.1.2): seven valid 3-D convolutions over the
// optical-flow clip, channels first [N, 2, T, H, W]; the flattened conv7 output is the feature.
#include "stride/zoo/cnn3d_layers.h"
#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {

Graph build_cnn3d(const ZooOptions& options) {
  const ModelSetup setup = resolve_options("cnn3d", options, kTumGaidFlow);
  GraphBuilder b("cnn3d", setup.seed);
  std::array<int64_t, 3> dims = {setup.frames, setup.height, setup.width};
  int64_t channels = kFlowComponents;
  std::string x = b.input("flow", {setup.batch, channels, dims[0], dims[1], dims[2]});

  for (const Conv3dLayer& layer : kCnn3dLayers) {
    b.scope(layer.name);
    const int64_t filters = setup.channels(layer.filters);
    x = b.conv(x, {.in_channels = channels,
                   .out_channels = filters,
                   .kernel = {layer.kernel.begin(), layer.kernel.end()},
                   .strides = {layer.stride.begin(), layer.stride.end()},
                   .init = layer.relu ? WeightInit::he_normal : WeightInit::glorot_uniform});
    if (layer.relu) x = b.relu(x);
    for (size_t axis = 0; axis < 3; ++axis)
      dims[axis] = setup.window_output(layer.name, dims[axis], layer.kernel[axis], layer.stride[axis]);
    channels = filters;
  }
  b.scope("flatten");
  x = b.flatten(x);
  return finish_model(std::move(b), setup, x, {channels * dims[0] * dims[1] * dims[2]});
}

}  // namespace stride::zoo
