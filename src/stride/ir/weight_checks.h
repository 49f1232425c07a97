#pragma once
// Weights as they enter work that reads their values (quantization scales, pruning scores): a NaN
// or infinite weight would quantize to 0 or score as nothing, and the written model would look sound.
#include <string_view>

#include "stride/ir/graph.h"

namespace stride {

// Throws stride::Error naming the first initializer that holds a NaN or an infinity, where, and
// `work` (e.g. "quantize"), which needs finite weights.
void check_finite_weights(const Graph& graph, std::string_view work);

}  // namespace stride
