#pragma once
// Unstructured (magnitude) pruning, the baseline the paper rejected: single weights under one global
// threshold become zero, the tensors keep their shapes — a dense engine still computes every zero.
#include "stride/ir/graph.h"

namespace stride::compress {

struct MagnitudeResult {
  Graph graph;
  int64_t weights = 0;  // convolution and dense weights considered
  int64_t zeroed = 0;   // of them now zero
};

// Zeroes the `sparsity` fraction (in [0, 1)) of smallest-magnitude weights over every Conv, Gemm and
// MatMul weight initializer together. Throws stride::Error on a sparsity outside [0, 1) or a model
// without such weights.
MagnitudeResult prune_magnitude(const Graph& graph, double sparsity);

}  // namespace stride::compress
