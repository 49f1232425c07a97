#pragma once
// How the shape ops read their attributes, shared by their shape functions and the kernels that
// move their bytes (implemented in shape.cpp).
#include <vector>

#include "stride/ir/graph.h"

namespace stride::ops {

// Transpose's `perm` (default: the dims reversed), checked to be a permutation of 0..rank-1.
std::vector<size_t> transpose_perm(const Node& node, size_t rank);

// Concat's required `axis`, normalised to [0, rank).
size_t concat_axis(const Node& node, size_t rank);

}  // namespace stride::ops
