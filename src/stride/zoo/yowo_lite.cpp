// yowo-lite: a small two-backbone video model after YOWO (Köpüklü et al. 2019; Balemans et al. (2024) prunes it),
// over a silhouette clip [N, T, H, W]. A 2-D Darknet-like backbone (3×3 convolutions with 1×1
// bottlenecks, LeakyReLU 0.1, max pooling) sees one image of the clip; a 3-D ResNeXt-style backbone
// (bottleneck blocks whose middle convolution is a grouped 3×3×3 one, residual adds, projection
// shortcuts where the shape changes) sees the whole clip. Each is averaged over its positions, the
// two are concatenated and fused by a dense layer into the feature, then classified. Node names
// start with "backbone2d/" and "backbone3d/", so that `stride prune --stage` can take one after
// the other as Balemans et al. (2024) does.
//
// The 2-D backbone's image is the clip's mean frame (its gait energy image), not YOWO's key frame:
// picking one frame needs Slice or Gather, which the torch training backend does not have; for
// silhouettes the mean frame also carries more of the walker than any single one.
#include <array>

#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {
namespace {

// CASIA-B's training subjects (74 of 124); a smaller set's subjects fit in them.
constexpr ModelDefaults kSilhouetteClip{
    .classes = 74, .height = 64, .width = 44, .frames = 16, .input_kind = "silhouettes"};
constexpr float kDarknetSlope = 0.1f;
constexpr int64_t kFusedFeatures = 256;
constexpr int64_t kCardinality = 8;  // groups of every grouped convolution

struct DarknetLayer {
  const char* name;
  int64_t filters;
  int64_t kernel;  // square, `same` padding
  bool pool;       // 2×2 max pooling after it
};

// Darknet-19's pattern at a fraction of its width: 3×3 convolutions doubling the filters after each
// pooling, with a 1×1 bottleneck between two of them.
constexpr std::array<DarknetLayer, 6> kDarknet = {{
    {"conv1", 32, 3, true},
    {"conv2", 64, 3, true},
    {"conv3", 128, 3, false},
    {"conv4", 64, 1, false},
    {"conv5", 128, 3, true},
    {"conv6", 256, 3, false},
}};

struct ResNeXtBlock {
  const char* name;
  int64_t width;    // channels of the grouped convolution
  int64_t filters;  // channels the block puts out
  int64_t stride;   // of the grouped convolution, on every axis
};

constexpr std::array<ResNeXtBlock, 3> kResNeXt = {{
    {"block1", 64, 64, 1},
    {"block2", 128, 128, 2},
    {"block3", 128, 128, 1},
}};
constexpr int64_t kStemFilters = 32;

// Channels and the extent of each spatial (or spatio-temporal) axis of a value.
struct Maps {
  std::string value;
  int64_t channels = 0;
  std::vector<int64_t> dims;
};

class YowoLiteBuilder {
 public:
  explicit YowoLiteBuilder(const ModelSetup& setup) : s_(setup), b_("yowo-lite", setup.seed) {}

  Graph build() && {
    const std::string clip = b_.input("silhouettes", {s_.batch, s_.frames, s_.height, s_.width});
    const std::string image = backbone2d(clip);
    const std::string motion = backbone3d(clip);
    b_.scope("fusion");
    const int64_t pooled = s_.channels(kDarknet.back().filters) + s_.channels(kResNeXt.back().filters);
    const int64_t features = s_.channels(kFusedFeatures);
    const std::string fused = b_.relu(b_.dense(b_.concat({image, motion}, 1), pooled, features));
    return finish_model(std::move(b_), s_, fused, {features});
  }

 private:
  // [N, T, H, W] → the mean frame [N, 1, H, W] → Darknet → mean over positions [N, C].
  std::string backbone2d(const std::string& clip) {
    b_.scope("backbone2d/mean_frame");
    Maps x{b_.reduce_mean(clip, {1}, true), 1, {s_.height, s_.width}};
    for (const DarknetLayer& layer : kDarknet) {
      const std::string scope = std::string("backbone2d/") + layer.name;
      b_.scope(scope);
      const int64_t filters = s_.channels(layer.filters), pad = layer.kernel / 2;
      x.value = b_.leaky_relu(b_.conv(x.value, {.in_channels = x.channels,
                                                .out_channels = filters,
                                                .kernel = {layer.kernel, layer.kernel},
                                                .pads = {pad, pad, pad, pad}}),
                              kDarknetSlope);
      x.channels = filters;
      if (layer.pool) x = pool(x, scope, {2, 2});
    }
    b_.scope("backbone2d/pool");
    return b_.reduce_mean(x.value, {2, 3}, false);
  }

  // [N, T, H, W] → [N, 1, T, H, W] → stem → ResNeXt blocks → mean over positions [N, C].
  std::string backbone3d(const std::string& clip) {
    b_.scope("backbone3d/clip");
    Maps x{b_.reshape(clip, {-1, 1, s_.frames, s_.height, s_.width}), 1, {s_.frames, s_.height, s_.width}};
    x = conv3d("backbone3d/stem", x, s_.channels(kStemFilters), {3, 5, 5}, {1, 2, 2}, 1);
    x.value = b_.relu(x.value);
    x = pool(x, "backbone3d/stem", {1, 2, 2});
    for (const ResNeXtBlock& block : kResNeXt) x = resnext(block, x);
    b_.scope("backbone3d/pool");
    return b_.reduce_mean(x.value, {2, 3, 4}, false);
  }

  // 1×1×1 reduce, grouped 3×3×3 (strided), 1×1×1 expand, plus the input (projected by a strided
  // 1×1×1 convolution where channels or extents change), then ReLU.
  Maps resnext(const ResNeXtBlock& block, const Maps& in) {
    const std::string scope = std::string("backbone3d/") + block.name;
    // The groups share the grouped convolution's channels equally: its width is rounded to them.
    const int64_t width = (s_.channels(block.width) + kCardinality - 1) / kCardinality * kCardinality;
    const int64_t filters = s_.channels(block.filters);
    Maps x = conv3d(scope + "/reduce", in, width, {1, 1, 1}, {1, 1, 1}, 1);
    x.value = b_.relu(x.value);
    x = conv3d(scope + "/grouped", x, width, {3, 3, 3}, {block.stride, block.stride, block.stride}, kCardinality);
    x.value = b_.relu(x.value);
    x = conv3d(scope + "/expand", x, filters, {1, 1, 1}, {1, 1, 1}, 1);
    Maps shortcut = in;
    if (in.channels != filters || block.stride != 1)
      shortcut = conv3d(scope + "/shortcut", in, filters, {1, 1, 1}, {block.stride, block.stride, block.stride}, 1);
    b_.scope(scope + "/residual");
    x.value = b_.relu(b_.add(x.value, shortcut.value));
    return x;
  }

  // A 3-D convolution padded to keep the extents at stride 1.
  Maps conv3d(const std::string& scope, const Maps& in, int64_t filters, std::array<int64_t, 3> kernel,
              std::array<int64_t, 3> stride, int64_t groups) {
    b_.scope(scope);
    std::vector<int64_t> pads(6);
    Maps out{"", filters, {}};
    for (size_t axis = 0; axis < 3; ++axis) {
      pads[axis] = pads[axis + 3] = kernel[axis] / 2;
      out.dims.push_back(s_.window_output(scope, in.dims[axis], kernel[axis], stride[axis], 2 * pads[axis]));
    }
    out.value = b_.conv(in.value, {.in_channels = in.channels,
                                   .out_channels = filters,
                                   .kernel = {kernel.begin(), kernel.end()},
                                   .strides = {stride.begin(), stride.end()},
                                   .pads = pads,
                                   .group = groups});
    return out;
  }

  Maps pool(const Maps& in, const std::string& scope, std::vector<int64_t> window) {
    Maps out{"", in.channels, {}};
    for (size_t axis = 0; axis < window.size(); ++axis)
      out.dims.push_back(s_.window_output(scope, in.dims[axis], window[axis], window[axis]));
    out.value = b_.max_pool(in.value, window, window);
    return out;
  }

  const ModelSetup& s_;
  GraphBuilder b_;
};

}  // namespace

Graph build_yowo_lite(const ZooOptions& options) {
  const ModelSetup setup = resolve_options("yowo-lite", options, kSilhouetteClip);
  return YowoLiteBuilder(setup).build();
}

}  // namespace stride::zoo
