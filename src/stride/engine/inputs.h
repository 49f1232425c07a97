#pragma once
// Inputs for running a model without data: its declared shapes at a batch size, and seeded
// random tensors of those shapes (for `stride run --random` and benchmarks).
#include <cstdint>
#include <map>
#include <string>

#include "stride/engine/backend.h"

namespace stride {

// Declared shape of each graph input with an unknown batch (dimension 0) set to `batch` (which must
// be >= 1). Throws stride::Error naming the input for any other unknown dimension.
std::map<std::string, Shape> input_shapes_at_batch(const Graph& graph, int64_t batch);

// Uniform values in [0, 1), deterministic from `seed`, cast to each input's declared dtype.
// `shapes` names graph inputs (or, for a cut graph, values of `graph`'s inputs).
TensorMap random_inputs(const Graph& graph, const std::map<std::string, Shape>& shapes, uint64_t seed);

}  // namespace stride
