#pragma once
// Which parts of a float graph become int8 (the engine's QDQ contract, docs/quantize.md):
//  - quantized ops: Conv, Gemm and MatMul whose weight is a constant read by that op alone;
//  - activations: the data input of every quantized op, and the output of a quantized op (after
//    the Relu/LeakyRelu that is its only reader) when a quantized or scale-preserving op reads it;
//  - scale-preserving ops (MaxPool, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Concat,
//    ReduceMax) carry int8 through: when one of their data inputs or their output is quantized, all
//    are, with one shared scale and type, so that max/move/copy run on the int8 values unchanged.
#include <set>
#include <string>
#include <vector>

#include "stride/ir/graph.h"

namespace stride::quant {

struct QdqSelection {
  std::vector<std::string> nodes;                // quantized ops, by node name, in graph order
  std::vector<std::vector<std::string>> groups;  // activations sharing one scale; each in one group
  std::vector<std::string> activations() const;  // every quantized activation
};

bool is_scale_preserving(const Node& node);
// The axis of the output channels in the weight of a quantizable op (Conv: 0, Gemm: 0 with
// transB, else 1; MatMul: the last, 1 for a [K, N] weight; a batched [P, K, N] weight, GaitSet's
// per-part HPM, gets one scale per output column shared by its parts).
size_t weight_channel_axis(const Node& node, size_t weight_rank);

// `keep_float` names nodes to leave in f32 (accuracy-aware reverts). Throws stride::Error when
// nothing is left to quantize.
QdqSelection select_qdq(const Graph& graph, const std::set<std::string>& keep_float = {});

}  // namespace stride::quant
