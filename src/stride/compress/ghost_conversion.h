#pragma once
// Ghost conversion (Han et al., GhostNet, CVPR 2020; Wang and Yuan's L-ResNet-50, "Gait recognition based on lightweight CNNs"):
// every eligible 2-D convolution of m output maps becomes a Ghost module that makes the same m maps
// for about 1/ratio of the weights and multiply-accumulates:
//
//   x → Conv (m/ratio maps, the conv's kernel, strides, pads, dilations)   "<conv>/ghost_primary"
//     → Conv depthwise 3×3, pads 1, group m/ratio, (ratio−1)·m/ratio maps   "<conv>/ghost_cheap"
//   Concat(primary, cheap) on channels                                      "<conv>/ghost_concat"
//
// The Concat produces the convolution's own output value (same name, same shape), so every consumer is
// left as it was and `stride compare` matches the module's output with the convolution's.
//
// Eligible: an ONNX Conv with a 4-D f32 initializer as weight (and an f32 initializer bias, if any),
// group 1, and m output maps that the ratio divides with at least 2 maps left to the primary conv
// (m ≥ 2·ratio). Grouped and depthwise convolutions are already cheap, a 1-D or 3-D one is not a 2-D
// Ghost module, and a convolution of fewer maps (a 2-channel score or flow map at a model's end)
// computes distinct quantities rather than the redundant feature maps the module assumes: all of
// these stay as they are, each named with the reason.
//
// Initialisation, so that the converted model starts close to the original (then fine-tune it, as a
// pruned model, with `stride train --epochs N`): the primary conv keeps the m/ratio filters of largest
// L1 norm, with their biases; a kept filter whose channel lies in the primary block (channel < m/ratio)
// stays at its channel, so that channel is exact, and the others fill the free primary channels in
// channel order. The cheap conv starts as an identity: a 3×3 kernel with 1 at the centre and zero bias,
// so cheap map j begins as a copy of primary map j / (ratio − 1).
#include <cstdint>
#include <string>
#include <vector>

#include "stride/ir/graph.h"

namespace stride {

struct GhostOptions {
  int64_t ratio = 2;  // at least 2
};

// What became of one convolution. Costs at the inputs' declared shapes, unknown dims taken as 1.
struct GhostedConv {
  std::string node;                // the original convolution
  std::vector<int64_t> kernel;     // kh, kw
  int64_t maps = 0;                // its output maps, m
  int64_t primary_maps = 0;        // m / ratio
  std::vector<int64_t> kept;       // the original filter behind each primary map, in primary order
  std::vector<std::string> nodes;  // primary, cheap, concat
  int64_t params_before = 0, params_after = 0;
  int64_t macs_before = 0, macs_after = 0;
};

struct SkippedConv {
  std::string node;
  std::string reason;
};

struct GhostResult {
  Graph graph;
  std::vector<GhostedConv> layers;   // in the graph's node order
  std::vector<SkippedConv> skipped;  // convolutions left as they were
};

// Converts every eligible convolution; all other nodes are kept. The conversion is recorded in the
// result's metadata ("stride.convert.ghost", "stride.convert.ghost.layers" and, when some were left,
// "stride.convert.ghost.skipped"). Throws stride::Error for a ratio below 2, and, naming the model,
// when no convolution is eligible ("nothing to convert").
GhostResult convert_to_ghost(const Graph& graph, const GhostOptions& options = {});

}  // namespace stride
