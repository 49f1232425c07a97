// ReduceMax / ReduceMean (oneDNN reduction) and Softmax, on plain data.
#include "stride/engine/onednn/lowering.h"
#include "stride/ir/ops/reduce_ops.h"

namespace stride::onednn {
namespace {

void lower_reduce(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& x = node.inputs.at(0);
  const std::string& y = node.outputs.at(0);
  const Shape& in = b.shape(x);
  const Tensor* axes = node.inputs.size() > 1 && !node.inputs[1].empty() ? b.constant(node.inputs[1]) : nullptr;
  if (node.inputs.size() > 1 && !node.inputs[1].empty() && !axes)
    fail_node(node, "the onednn backend needs the axes ('{}') to be a constant", node.inputs[1]);
  const std::vector<bool> reduced = ops::reduced_axes(node, axes, in.size());

  // The result with the reduced dims kept as 1: the same bytes as the output with or without keepdims.
  memory::dims kept = to_dims(in);
  for (size_t d = 0; d < in.size(); ++d)
    if (reduced[d]) kept[d] = 1;
  const ValueId src = b.plain(x);
  if (kept == to_dims(in)) {
    b.define_view(y, src, plain_desc(b.shape(y)));
    return;
  }
  const auto algorithm =
      node.op_type == "ReduceMax" ? dnnl::algorithm::reduction_max : dnnl::algorithm::reduction_mean;
  const dnnl::reduction::desc desc(algorithm, b.desc(src), plain_desc(kept), 0.0f, 0.0f);
  const dnnl::reduction::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId out = b.define(y, plain_desc(b.shape(y)));
  b.add_step(pd, dnnl::reduction(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, b.view(out, plain_desc(kept))}},
             {node.name});
}

void lower_softmax(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& x = node.inputs.at(0);
  const int axis = static_cast<int>(ops::softmax_axis(node, b.shape(x).size()));
  const ValueId src = b.plain(x);
  const dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, b.desc(src), axis);
  const dnnl::softmax_forward::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId dst = b.define(node.outputs.at(0), b.desc(src));
  b.add_step(pd, dnnl::softmax_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}, {node.name});
}

}  // namespace

void register_reduce_lowerings(LoweringRegistry& registry) {
  registry.add("ReduceMax", lower_reduce);
  registry.add("ReduceMean", lower_reduce);
  registry.add("Softmax", lower_softmax);
}

}  // namespace stride::onednn
