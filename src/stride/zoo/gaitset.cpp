// GaitSet (Chao et al., AAAI 2019; Ruiz-Barroso et al. 2022, §4.1.2) on a set of silhouettes
// [N, S, H, W]. Every frame goes through the main pipeline (`same` convolutions without bias,
// LeakyReLU 0.01); set pooling (max over the frames) makes the result independent of their
// order; the multilayer global pipeline (MGP) works on set-pooled maps of three depths. Horizontal
// pyramid pooling (HPP) cuts both final maps into 1, 2, 4, 8 and 16 strips, each summarised by
// mean + max, and horizontal pyramid mapping (HPM) gives each of the 62 strips its own FC layer,
// computed as one batched MatMul.
#include <array>
#include <numeric>

#include "stride/zoo/model_common.h"
#include "stride/zoo/models.h"

namespace stride::zoo {
namespace {

constexpr ModelDefaults kCasiaBSilhouettes{
    .classes = 0, .height = 64, .width = 44, .frames = 30, .input_kind = "silhouettes"};
constexpr float kLeakySlope = 0.01f;
constexpr std::array<int64_t, 5> kBins = {1, 2, 4, 8, 16};
constexpr int64_t kHpmUnits = 256;

// A batch of feature maps [batch, C, H, W] and its sizes.
struct Maps {
  std::string value;
  int64_t channels;
  int64_t height;
  int64_t width;
};

class GaitSetBuilder {
 public:
  explicit GaitSetBuilder(const ModelSetup& setup) : setup_(setup), b_("gaitset", setup.seed) {}

  Graph build() && {
    const ModelSetup& s = setup_;
    const std::string silhouettes = b_.input("silhouettes", {s.batch, s.frames, s.height, s.width});
    b_.scope("frames");
    // Each frame becomes one image of the batch: [N·S, 1, H, W].
    Maps x{b_.reshape(silhouettes, {-1, 1, s.height, s.width}), 1, s.height, s.width};

    x = pool(conv("set_layer2", conv("set_layer1", x, 32, 5), 32, 3), "set_pooling1");
    Maps gl = set_pool(x, "set_pool1");
    gl = pool(conv("gl_layer2", conv("gl_layer1", gl, 64, 3), 64, 3), "gl_pooling");

    x = pool(conv("set_layer4", conv("set_layer3", x, 64, 3), 64, 3), "set_pooling2");
    gl = add(gl, set_pool(x, "set_pool2"), "gl_add1");
    gl = conv("gl_layer4", conv("gl_layer3", gl, 128, 3), 128, 3);

    x = set_pool(conv("set_layer6", conv("set_layer5", x, 128, 3), 128, 3), "set_pool3");
    gl = add(gl, x, "gl_add2");

    b_.scope("hpp");
    std::vector<std::string> parts;
    for (int64_t bins : kBins) {
      parts.push_back(strips(x, bins));
      parts.push_back(strips(gl, bins));
    }
    const int64_t part_count = 2 * std::accumulate(kBins.begin(), kBins.end(), int64_t{0});
    const std::string pooled = b_.concat(parts, 2);  // [N, C, 62]

    b_.scope("hpm");
    const int64_t units = s.channels(kHpmUnits);
    const std::string fc_bin =
        b_.weight("hpm.fc_bin", {part_count, x.channels, units}, WeightInit::glorot_uniform, x.channels, units);
    std::string feature = b_.transpose(pooled, {2, 0, 1});  // [62, N, C]
    feature = b_.matmul(feature, fc_bin);                   // [62, N, units]
    feature = b_.transpose(feature, {1, 0, 2});             // [N, 62, units]
    return finish_model(std::move(b_), setup_, feature, {part_count, units});
  }

 private:
  // `same` convolution without bias, then LeakyReLU: GaitSet's BasicConv2d.
  Maps conv(const char* scope, const Maps& in, int64_t paper_filters, int64_t kernel) {
    b_.scope(scope);
    const int64_t filters = setup_.channels(paper_filters);
    const int64_t pad = kernel / 2;
    std::string y = b_.conv(in.value, {.in_channels = in.channels,
                                       .out_channels = filters,
                                       .kernel = {kernel, kernel},
                                       .pads = {pad, pad, pad, pad},
                                       .bias = false});
    return {b_.leaky_relu(y, kLeakySlope), filters, in.height, in.width};
  }

  Maps pool(const Maps& in, const char* scope) {
    b_.scope(scope);
    return {b_.max_pool(in.value, {2, 2}, {2, 2}), in.channels, setup_.window_output(scope, in.height, 2, 2),
            setup_.window_output(scope, in.width, 2, 2)};
  }

  // Set pooling: [N·S, C, H, W] → [N, C, H, W], the maximum over the S frames of each sample.
  Maps set_pool(const Maps& in, const char* scope) {
    b_.scope(scope);
    const std::string frames = b_.reshape(in.value, {-1, setup_.frames, in.channels, in.height, in.width});
    return {b_.reduce_max(frames, {1}, false), in.channels, in.height, in.width};
  }

  Maps add(const Maps& a, const Maps& c, const char* scope) {
    b_.scope(scope);
    return {b_.add(a.value, c.value), a.channels, a.height, a.width};
  }

  // HPP at one scale: the flattened H·W map cut into `bins` strips of consecutive values (GaitSet's
  // view(n, c, bin, -1)), each reduced to mean + max: [N, C, bins].
  std::string strips(const Maps& in, int64_t bins) {
    const int64_t area = in.height * in.width;
    if (area % bins != 0)
      fail("gaitset: an input of {}×{} leaves {}×{} maps, whose {} values cannot be cut into {} equal strips",
           setup_.height, setup_.width, in.height, in.width, area, bins);
    const std::string cut = b_.reshape(in.value, {-1, in.channels, bins, area / bins});
    return b_.add(b_.reduce_mean(cut, {3}, false), b_.reduce_max(cut, {3}, false));
  }

  const ModelSetup& setup_;
  GraphBuilder b_;
};

}  // namespace

Graph build_gaitset(const ZooOptions& options) {
  const ModelSetup setup = resolve_options("gaitset", options, kCasiaBSilhouettes);
  return GaitSetBuilder(setup).build();
}

}  // namespace stride::zoo
