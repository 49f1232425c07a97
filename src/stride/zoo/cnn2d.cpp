// The paper's 2D-CNN (Ruiz-Barroso et al. 2022, §4.1.2): the optical flow of 25 frames stacked
// as 50 channels (x and y flow of each frame), four conv + max-pool blocks with valid padding,
// then two dense layers whose second ("code", 1024) is the gait feature.
#include <array>

#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {
namespace {

struct ConvBlock {
  const char* name;
  int64_t filters;
  int64_t kernel;
};

constexpr std::array<ConvBlock, 4> kBlocks = {
    {{"conv1", 96, 7}, {"conv2", 192, 5}, {"conv3", 512, 3}, {"conv4", 512, 2}}};
constexpr int64_t kFlowChannelsPerFrame = 2;
constexpr int64_t kDenseUnits = 2048;
constexpr int64_t kCodeUnits = 1024;

}  // namespace

Graph build_cnn2d(const ZooOptions& options) {
  const ModelSetup setup = resolve_options("cnn2d", options, kTumGaidFlow);
  GraphBuilder b("cnn2d", setup.seed);
  int64_t channels = kFlowChannelsPerFrame * setup.frames;
  int64_t h = setup.height;
  int64_t w = setup.width;
  std::string x = b.input("flow", {setup.batch, channels, h, w});

  for (const ConvBlock& block : kBlocks) {
    b.scope(block.name);
    const int64_t filters = setup.channels(block.filters);
    x = b.relu(b.conv(x, {.in_channels = channels, .out_channels = filters, .kernel = {block.kernel, block.kernel}}));
    h = setup.window_output(block.name, h, block.kernel, 1);
    w = setup.window_output(block.name, w, block.kernel, 1);
    x = b.max_pool(x, {2, 2}, {2, 2});
    h = setup.window_output(std::string(block.name) + " pool", h, 2, 2);
    w = setup.window_output(std::string(block.name) + " pool", w, 2, 2);
    channels = filters;
  }

  // The dense layers have no activation, as in the paper's Keras model (Embedded-Gait
  // `build_branch_Manuel`); the training-time dropout between them is left out of the
  // inference graph.
  b.scope("flatten");
  const int64_t flat = channels * h * w;
  x = b.flatten(x);
  b.scope("dense");
  const int64_t dense_units = setup.channels(kDenseUnits);
  x = b.dense(x, flat, dense_units);
  b.scope("code");
  const int64_t code_units = setup.channels(kCodeUnits);
  x = b.dense(x, dense_units, code_units);
  return finish_model(std::move(b), setup, x, {code_units});
}

}  // namespace stride::zoo
