// ResNet-50 on one gait energy image (GEI) and its lightweight version L-ResNet-50 (Wang & Yuan, "Gait
// recognition based on lightweight CNNs"), in which every convolution is a
// Ghost module: a primary convolution makes half the maps and a cheap depthwise 3×3 convolution makes
// the other half from them (GraphBuilder::ghost_conv).
//
// The network is He et al.'s ResNet-50 (bottleneck blocks 3-4-6-3 of widths 64, 128, 256, 512, four
// times as many output maps; the stride on the 3×3 convolution, as torchvision's "v1.5"; projection
// shortcuts where the shape changes) with the stem Wang and Yuan describe for their "original network": a
// 5×5 convolution making 16 maps. The GEI is small (64×64 by default, against ImageNet's 224×224), so
// the stem keeps stride 1 and one 2×2 max-pool halves it: the four stages work on 32×32, 16×16, 8×8 and
// 4×4 maps. Global average pooling gives the 2048-d feature; the classifier is a softmax over CASIA-B's
// 124 subjects.
//
// Every convolution has a bias and no batch normalization follows it: `stride train` evaluates
// BatchNormalization in inference mode (running statistics, see engine/torch/torch_ops.cpp), so a BN
// graph would train as a per-channel affine whose mean and variance SGD moves as if they were weights
// (a variance can go negative). Without BN, the last convolution of every residual branch starts
// small (init_scale), so that the sum of 16 branches starts close to the shortcuts and does not grow
// with depth (as "zero-init residual" and Fixup do). At inference the choice costs nothing: oneDNN
// folds a BN into the convolution before it.
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {
namespace {

constexpr ModelDefaults kCasiaBGei{.classes = 124, .height = 64, .width = 64, .frames = 1, .input_kind = "gait_energy"};
constexpr int64_t kStemMaps = 16;
constexpr int64_t kStemKernel = 5;
constexpr int64_t kExpansion = 4;
constexpr int64_t kGhostRatio = 2;
// Residual branches' last convolutions start at this fraction of He-normal: 16 branches then add
// about (1 + 0.2²)^16 ≈ 1.9× to the shortcut's variance.
constexpr double kBranchEndScale = 0.2;

struct Stage {
  int64_t blocks;
  int64_t width;
  int64_t stride;
};
constexpr std::array<Stage, 4> kStages = {{{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}}};

// Feature maps [batch, C, H, W] and their sizes.
struct Maps {
  std::string value;
  int64_t channels;
  int64_t height;
  int64_t width;
};

class ResNetGeiBuilder {
 public:
  ResNetGeiBuilder(const ModelSetup& setup, bool ghost) : setup_(setup), ghost_(ghost), b_(setup.model, setup.seed) {}

  Graph build() && {
    const ModelSetup& s = setup_;
    const std::string gei = b_.input("gei", {s.batch, 1, s.height, s.width});
    Maps x{gei, 1, s.height, s.width};
    x = relu(conv("stem", x, maps(kStemMaps), kStemKernel, 1));
    b_.scope("stem");
    x = {b_.max_pool(x.value, {2, 2}, {2, 2}), x.channels, s.window_output("stem pool", x.height, 2, 2),
         s.window_output("stem pool", x.width, 2, 2)};

    for (size_t stage = 0; stage < kStages.size(); ++stage)
      for (int64_t block = 0; block < kStages[stage].blocks; ++block)
        x = bottleneck(x, fmt::format("layer{}.{}", stage + 1, block), maps(kStages[stage].width),
                       block == 0 ? kStages[stage].stride : 1);

    b_.scope("pool");
    const std::string feature = b_.reduce_mean(x.value, {2, 3}, false);  // global average pooling: [N, C]
    if (ghost_) b_.set_metadata("stride.ghost.ratio", std::to_string(kGhostRatio));
    return finish_model(std::move(b_), setup_, feature, {x.channels});
  }

 private:
  // A channel count of the paper's network scaled by width_mult, rounded to a multiple of the Ghost
  // ratio (at least one Ghost module's worth), so that both models have the same maps and the
  // Ghost version's halves are whole. At width_mult 1 every count is the paper's.
  int64_t maps(int64_t paper) const {
    const double scaled = static_cast<double>(paper) * setup_.width_mult / kGhostRatio;
    return kGhostRatio * std::max<int64_t>(1, std::llround(scaled));
  }

  // A convolution (or its Ghost module) with `same` padding, scope `name`.
  Maps conv(const std::string& name, const Maps& in, int64_t out, int64_t kernel, int64_t stride,
            double init_scale = 1.0) {
    b_.scope(name);
    const int64_t pad = kernel / 2;
    const ConvSpec spec{.in_channels = in.channels,
                        .out_channels = out,
                        .kernel = {kernel, kernel},
                        .strides = {stride, stride},
                        .pads = {pad, pad, pad, pad},
                        .init_scale = init_scale};
    const std::string y = ghost_ ? b_.ghost_conv(in.value, spec, kGhostRatio) : b_.conv(in.value, spec);
    return {y, out, setup_.window_output(name, in.height, kernel, stride, 2 * pad),
            setup_.window_output(name, in.width, kernel, stride, 2 * pad)};
  }

  Maps relu(const Maps& in) { return {b_.relu(in.value), in.channels, in.height, in.width}; }

  Maps bottleneck(const Maps& in, const std::string& name, int64_t width, int64_t stride) {
    Maps y = relu(conv(name + "/conv1", in, width, 1, 1));
    y = relu(conv(name + "/conv2", y, width, 3, stride));
    y = conv(name + "/conv3", y, kExpansion * width, 1, 1, kBranchEndScale);
    Maps shortcut = in;
    if (stride != 1 || in.channels != y.channels) shortcut = conv(name + "/downsample", in, y.channels, 1, stride);
    b_.scope(name);
    return {b_.relu(b_.add(y.value, shortcut.value)), y.channels, y.height, y.width};
  }

  const ModelSetup& setup_;
  bool ghost_;
  GraphBuilder b_;
};

Graph build(std::string_view model, const ZooOptions& options, bool ghost) {
  if (options.frames && *options.frames != 1)
    fail("{}: takes one gait energy image per sample; option 'frames' ({}) does not apply", model, *options.frames);
  const ModelSetup setup = resolve_options(model, options, kCasiaBGei);
  return ResNetGeiBuilder(setup, ghost).build();
}

}  // namespace

Graph build_resnet50_gei(const ZooOptions& options) { return build("resnet50-gei", options, false); }

Graph build_l_resnet50_gei(const ZooOptions& options) { return build("l-resnet50-gei", options, true); }

}  // namespace stride::zoo
