// BatchNormalization that could not be folded into a convolution: oneDNN batch normalization with
// the given statistics.
#include "stride/engine/onednn/graph_constants.h"
#include "stride/engine/onednn/lowering.h"

namespace stride::onednn {
namespace {

void lower_batch_norm(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const ValueId src = b.value_for_kernel(node.inputs.at(0));
  const auto flags = dnnl::normalization_flags::use_global_stats | dnnl::normalization_flags::use_scale |
                     dnnl::normalization_flags::use_shift;
  const dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, b.desc(src),
                                                     node.attrs.get_float("epsilon", 1e-5f), flags);
  const dnnl::batch_normalization_forward::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  auto parameter = [&](size_t input) {
    if (!b.constant(node.inputs.at(input)))
      fail_node(node, "the onednn backend needs input #{} ('{}') to be a constant", input, node.inputs[input]);
    return b.plain(node.inputs[input]);
  };
  std::vector<StepArg> args{{DNNL_ARG_SRC, src},
                            {DNNL_ARG_SCALE, parameter(1)},
                            {DNNL_ARG_SHIFT, parameter(2)},
                            {DNNL_ARG_MEAN, parameter(3)},
                            {DNNL_ARG_VARIANCE, parameter(4)}};
  args.push_back({DNNL_ARG_DST, b.define(node.outputs.at(0), b.desc(src))});
  b.add_step(pd, dnnl::batch_normalization_forward(pd), std::move(args), {node.name});
}

}  // namespace

void register_norm_lowerings(LoweringRegistry& registry) { registry.add("BatchNormalization", lower_batch_norm); }

}  // namespace stride::onednn
