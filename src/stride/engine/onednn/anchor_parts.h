#pragma once
// What every anchor lowering (Conv, Gemm, MatMul) does with the nodes fused into it: fold the
// linear ones into weights and bias, turn the rest into post-ops, and define the group's output.
#include <optional>
#include <vector>

#include "stride/engine/onednn/plan_builder.h"

namespace stride::onednn {

// Applies the group's batch_norm and bias_add nodes, in order, to `weights` (output channels on
// axis 0; may be nullptr when the group has no batch_norm) and to `bias` (nullopt: none yet).
// Returns the bias to use, nullopt when there is none.
std::optional<std::vector<float>> fold_linear_nodes(const PlanBuilder& builder, const FusedGroup& group,
                                                    Tensor* weights, std::optional<std::vector<float>> bias,
                                                    int64_t out_channels);

// Scratchpad mode plus the group's activations and sum, in order, as oneDNN post-ops.
dnnl::primitive_attr anchor_attr(const PlanBuilder& builder, const FusedGroup& group);

// Defines the group's output in layout `dst`. With a sum post-op the destination must hold the
// addend when the primitive starts: it is the addend's own buffer when nothing reads the addend
// later (and the primitive does not read it through `reads`), else a copy made by a reorder step.
ValueId define_group_output(PlanBuilder& builder, const FusedGroup& group, const memory::desc& dst,
                            const std::vector<ValueId>& reads);

// A bias of `values` described as `dims` (all 1 but the channel axis).
ValueId bias_value(PlanBuilder& builder, const std::vector<float>& values, const memory::dims& dims);

}  // namespace stride::onednn
