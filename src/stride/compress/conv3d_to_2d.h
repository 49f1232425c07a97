#pragma once
// 3D→2D conversion (Ruiz-Barroso et al. 2022, §5.5.2): every 3-D convolution of a graph — an ONNX Conv whose weight
// is [Co, Ci, kt, kh, kw] — becomes a spatial 2-D convolution applied to every frame (frames
// folded into the batch) followed by a temporal 2-D convolution over the (frames × H'·W') plane,
// so that runtimes and accelerators without 3-D convolutions can run the model:
//
//   x [N,Ci,T,H,W] → Transpose [N,T,Ci,H,W] → Reshape [N·T,Ci,H,W]
//     → Conv (kh,kw) strides (sh,sw) pads (ph,pw)          [N·T,R,H',W']   "<conv>/spatial"
//     → Reshape [N,T,R,H'·W'] → Transpose [N,R,T,H'·W']
//     → Conv (kt,1) strides (st,1) pads (pt,0), bias       [N,Co,T',H'·W'] "<conv>/temporal"
//     → Reshape [N,Co,T',H',W']                             (the 3-D conv's output value)
//
// Two initialisations:
//  - fresh: R = Co, a Relu between the halves (the zoo's cnn3dto2d), He-normal weights from a
//    seeded generator and zero biases: the paper's way, to be trained afterwards.
//  - svd: no activation between the halves. The kernel unfolded as M[(o,t),(i,h,w)] = W[o,i,t,h,w]
//    is factorised M ≈ T·S by SVD (√σ in both factors): spatial weight S[r,i,h,w], temporal
//    weight T[o,r,t,1], the 3-D conv's bias on the temporal conv. At the full rank
//    min(Co·kt, Ci·kh·kw) the converted model computes the same function; a lower rank truncates.
//
// A 3-D conv that is already a 2-D conv of every frame (kt = 1, st = 1, no temporal padding) keeps
// its own weights in a single spatial conv, exactly, in both modes.
//
// Between converted convs the values stay [N, C, T, H·W], as in the zoo's cnn3dto2d: activations
// and batch norms after a converted conv move before its final Reshape (so that the engine fuses
// them into the temporal conv), and a final Reshape read only by the next converted conv is dropped.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stride/ir/graph.h"

namespace stride {

enum class Conv3dTo2dInit { fresh, svd };

struct Conv3dTo2dOptions {
  Conv3dTo2dInit init = Conv3dTo2dInit::fresh;
  // svd only, at most one of them: keep `rank` components per layer (at most its full rank), or
  // ceil(rank_fraction × full rank) of them, rank_fraction in (0, 1]. Neither: full rank (exact).
  std::optional<int64_t> rank;
  std::optional<double> rank_fraction;
  uint64_t seed = 0;  // fresh: the generator of the He-normal weights
};

// What became of one 3-D convolution. Costs are at the inputs' declared shapes, unknown dims taken as 1.
struct ConvertedConv {
  std::string node;             // the 3-D convolution's name
  std::vector<int64_t> kernel;  // kt, kh, kw
  bool split = true;            // false: one spatial conv per frame, with the conv's own weights
  int64_t rank = 0;             // channels between the spatial and the temporal conv (if not split: its full rank)
  int64_t full_rank = 0;        // min(Co·kt, Ci·kh·kw)
  std::optional<double> relative_error;  // ||M − M_R||_F / ||M||_F; none for fresh weights
  std::vector<std::string> nodes;        // the nodes that replace it, in order
  int64_t params_before = 0, params_after = 0;
  int64_t macs_before = 0, macs_after = 0;
};

struct Conv3dTo2dResult {
  Graph graph;
  std::vector<ConvertedConv> layers;  // in the graph's node order
};

// Converts every 3-D convolution of `graph`; all other nodes are kept. The conversion is recorded
// in the result's metadata ("stride.convert.3d_to_2d" and "stride.convert.3d_to_2d.layers").
// Throws stride::Error, naming the node, for a 3-D conv with group != 1 or dilations != 1, whose
// frames, height or width depend on an unknown input dimension, or whose weight is not an f32
// initializer; and when the graph has no 3-D convolution ("nothing to convert") or the options
// are inconsistent.
Conv3dTo2dResult convert_3d_to_2d(const Graph& graph, const Conv3dTo2dOptions& options = {});

// "svd" or "fresh".
const char* init_name(Conv3dTo2dInit init);

}  // namespace stride
