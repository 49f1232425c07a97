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

// The group's activations and sum as oneDNN post-ops, in order. The sum has two forms: oneDNN's
// `sum` (the destination holds the addend when the primitive starts: no extra read, and in place
// when the addend is dead) and a `binary_add` post-op reading the addend where it lies. Some CPUs'
// kernels take only one of them after an activation (AVX2's convolutions have no sum after an
// eltwise, and fall back to a reference kernel for it), so the lowering tries both.
enum class SumForm { sum, binary_add };

struct Epilogue {
  dnnl::primitive_attr attr;  // scratchpad mode and the post-ops
  SumForm sum_form = SumForm::sum;
  ValueId addend = 0;  // SumForm::binary_add: the value added
  int addend_arg = 0;  // SumForm::binary_add: its DNNL_ARG_* in the primitive's arguments
};

// Output scales of an int8 anchor (oneDNN 2.x: dst = scale · (s32 accumulator + bias), before the
// post-ops), one per output channel on axis `channel_axis` of the destination or one for all.
struct OutputScales {
  std::vector<float> scales;
  int channel_axis = 1;
};

// The epilogues to try, most preferred first: one when the group has no sum.
std::vector<Epilogue> epilogue_candidates(PlanBuilder& builder, const FusedGroup& group,
                                          const OutputScales* scales = nullptr);

// The primitive descriptor of the group's anchor: `desc` with the first epilogue that gets a fast
// kernel (first_fast_kernel).
template <typename PrimitiveDesc, typename OpDesc>
std::pair<PrimitiveDesc, Epilogue> anchor_primitive(PlanBuilder& builder, const FusedGroup& group, const OpDesc& desc,
                                                    const OutputScales* scales = nullptr) {
  const std::vector<Epilogue> candidates = epilogue_candidates(builder, group, scales);
  auto [pd, k] = first_fast_kernel<PrimitiveDesc>(
      candidates.size(), [&](size_t c) { return PrimitiveDesc(desc, candidates[c].attr, builder.engine()); });
  return {pd, candidates[k]};
}

// Defines the group's output in layout `dst` (the caller passes it as DST); for a binary add,
// appends the addend's argument to `args`. With oneDNN's sum the destination must hold the addend when the
// primitive starts: it is the addend's own buffer when nothing reads the addend later (and the
// primitive does not read it through `reads`), else a copy made by a reorder step.
ValueId define_group_output(PlanBuilder& builder, const FusedGroup& group, const Epilogue& epilogue,
                            const memory::desc& dst, const std::vector<ValueId>& reads, std::vector<StepArg>& args);

// A bias of `values` described as `dims` (all 1 but the channel axis).
ValueId bias_value(PlanBuilder& builder, const std::vector<float>& values, const memory::dims& dims);

}  // namespace stride::onednn
