#include "stride/engine/onednn/anchor_parts.h"

#include <cmath>

#include "stride/engine/onednn/eltwise_ops.h"
#include "stride/engine/onednn/graph_constants.h"

namespace stride::onednn {
namespace {

// A per-channel constant of `n` values (or one value for all channels) as exactly n floats.
std::vector<float> per_channel(const PlanBuilder& builder, const Node& node, const std::string& name, int64_t n,
                               const char* what) {
  std::vector<float> v = constant_floats(builder.graph(), builder.shapes(), node, name, what);
  if (v.size() == 1) return std::vector<float>(static_cast<size_t>(n), v[0]);
  if (static_cast<int64_t>(v.size()) != n) fail_node(node, "the {} has {} values, expected {}", what, v.size(), n);
  return v;
}

void fold_batch_norm(const PlanBuilder& builder, const Node& bn, Tensor& weights, std::vector<float>& bias, int64_t m) {
  const auto gamma = per_channel(builder, bn, bn.inputs[1], m, "scale");
  const auto beta = per_channel(builder, bn, bn.inputs[2], m, "bias");
  const auto mean = per_channel(builder, bn, bn.inputs[3], m, "mean");
  const auto var = per_channel(builder, bn, bn.inputs[4], m, "variance");
  const float epsilon = bn.attrs.get_float("epsilon", 1e-5f);
  auto w = weights.values<float>();
  const size_t per_filter = w.size() / static_cast<size_t>(m);
  for (size_t c = 0; c < static_cast<size_t>(m); ++c) {
    const float scale = gamma[c] / std::sqrt(var[c] + epsilon);
    for (size_t i = 0; i < per_filter; ++i) w[c * per_filter + i] *= scale;
    bias[c] = (bias[c] - mean[c]) * scale + beta[c];
  }
}

}  // namespace

std::optional<std::vector<float>> fold_linear_nodes(const PlanBuilder& builder, const FusedGroup& group,
                                                    Tensor* weights, std::optional<std::vector<float>> bias,
                                                    int64_t out_channels) {
  for (const auto& f : group.fused) {
    if (f.role != FusedRole::batch_norm && f.role != FusedRole::bias_add) continue;
    if (!bias) bias.emplace(static_cast<size_t>(out_channels), 0.0f);
    if (f.role == FusedRole::bias_add) {
      const auto add = per_channel(builder, *f.node, f.operand, out_channels, "added constant");
      for (size_t c = 0; c < bias->size(); ++c) (*bias)[c] += add[c];
    } else {
      if (!weights) fail_node(*f.node, "cannot be folded into '{}'", group.anchor->name);
      fold_batch_norm(builder, *f.node, *weights, *bias, out_channels);
    }
  }
  return bias;
}

namespace {

Epilogue make_epilogue(PlanBuilder& builder, const FusedGroup& group, SumForm form, const OutputScales* scales) {
  Epilogue e;
  e.sum_form = form;
  dnnl::post_ops ops;
  for (const auto& f : group.fused) {
    if (f.role == FusedRole::sum) {
      if (form == SumForm::sum) {
        ops.append_sum(1.0f);
      } else {
        e.addend = builder.value(f.operand);
        e.addend_arg = DNNL_ARG_ATTR_MULTIPLE_POST_OP(ops.len()) | DNNL_ARG_SRC_1;
        ops.append_binary(dnnl::algorithm::binary_add, builder.desc(e.addend));
      }
    }
    if (f.role != FusedRole::activation) continue;
    const auto op = eltwise_op(*f.node, builder.graph(), builder.shapes());
    if (!op) fail_node(*f.node, "its parameters must be constants");
    ops.append_eltwise(1.0f, op->algorithm, op->alpha, op->beta);
  }
  e.attr = scratchpad_attr();
  e.attr.set_post_ops(ops);
  if (scales) e.attr.set_output_scales(scales->scales.size() == 1 ? 0 : 1 << scales->channel_axis, scales->scales);
  return e;
}

}  // namespace

std::vector<Epilogue> epilogue_candidates(PlanBuilder& builder, const FusedGroup& group, const OutputScales* scales) {
  std::vector<Epilogue> candidates{make_epilogue(builder, group, SumForm::sum, scales)};
  if (group.sum_operand()) candidates.push_back(make_epilogue(builder, group, SumForm::binary_add, scales));
  return candidates;
}

ValueId define_group_output(PlanBuilder& builder, const FusedGroup& group, const Epilogue& epilogue,
                            const memory::desc& dst, const std::vector<ValueId>& reads, std::vector<StepArg>& args) {
  const std::string* addend = group.sum_operand();
  ValueId out;
  if (!addend) {
    out = builder.define(group.output(), dst);
  } else if (epilogue.sum_form == SumForm::binary_add) {
    out = builder.define(group.output(), dst);
    args.push_back({epilogue.addend_arg, epilogue.addend});
  } else {
    const ValueId source = builder.value(*addend);
    std::optional<ValueId> in_place;
    if (builder.desc(source) == dst) in_place = builder.define_in_place(group.output(), source, reads);
    if (in_place) {
      out = *in_place;
    } else {
      out = builder.define(group.output(), dst);
      builder.add_reorder(source, out);
    }
  }
  return out;
}

ValueId bias_value(PlanBuilder& builder, const std::vector<float>& values, const memory::dims& dims) {
  const Shape shape(dims.begin(), dims.end());
  return builder.constant_value(Tensor::from_vector<float>(shape, values));
}

}  // namespace stride::onednn
