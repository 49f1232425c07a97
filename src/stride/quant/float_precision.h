#pragma once
// FP16 / BF16 storage: every f32 weight is stored as f16 (or bf16) and cast back to f32 by a Cast
// node, so the file is about half the size and the graph still computes in f32 on engines without
// half-precision arithmetic. An engine that has it can fuse the Cast away.
#include "stride/ir/graph.h"

namespace stride::quant {

// `dtype` is f16 or bf16. A weight with a value beyond the type's finite range stays f32 (it would
// become infinite). Throws stride::Error for another dtype or a model without f32 weights.
Graph store_weights_as(const Graph& graph, DType dtype);

// "fp16" → f16, "bf16" → bf16; throws for anything else.
DType float_precision(const std::string& name);

}  // namespace stride::quant
