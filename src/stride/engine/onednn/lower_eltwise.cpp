// Activations standalone (those not fused into a convolution) and the broadcasting binary ops.
// Both write over their input when nothing reads it later.
#include "stride/engine/onednn/eltwise_ops.h"
#include "stride/engine/onednn/lowering.h"

namespace stride::onednn {
namespace {

ValueId define_output(PlanBuilder& b, const std::string& name, ValueId src, const std::vector<ValueId>& also_read) {
  if (auto in_place = b.define_in_place(name, src, also_read)) return *in_place;
  return b.define(name, b.desc(src));
}

void lower_activation(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const auto op = eltwise_op(node, b.graph(), b.shapes());
  if (!op) fail_node(node, "the onednn backend needs its parameters to be constants");
  const ValueId src = b.value_for_kernel(node.inputs.at(0));
  const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, op->algorithm, b.desc(src), op->alpha,
                                         op->beta);
  const dnnl::eltwise_forward::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId dst = define_output(b, node.outputs.at(0), src, {});
  b.add_step(pd, dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}, {node.name});
}

dnnl::algorithm binary_algorithm(const std::string& op_type) {
  if (op_type == "Add") return dnnl::algorithm::binary_add;
  if (op_type == "Sub") return dnnl::algorithm::binary_sub;
  if (op_type == "Mul") return dnnl::algorithm::binary_mul;
  return dnnl::algorithm::binary_div;
}

// oneDNN broadcasts only its second operand, so the first must already have the output's shape
// (the operands of Add and Mul are swapped when that helps).
void lower_binary(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& y = node.outputs.at(0);
  const Shape& out = b.shape(y);
  std::string first = node.inputs.at(0), second = node.inputs.at(1);
  const bool commutative = node.op_type == "Add" || node.op_type == "Mul";
  if (b.shape(first) != out && commutative) std::swap(first, second);
  if (b.shape(first) != out)
    fail_node(node, "broadcasting the first input ({} to {}) is not supported by the onednn backend",
              shape_str(b.shape(first)), shape_str(out));

  const ValueId src0 = b.value_for_kernel(first);
  ValueId src1;
  if (b.shape(second) == out) {
    src1 = b.in_layout(b.value(second), b.desc(src0));
  } else {
    Shape aligned = b.shape(second);
    aligned.insert(aligned.begin(), out.size() - aligned.size(), 1);
    src1 = b.view(b.plain(second), plain_desc(to_dims(aligned)));
  }
  const dnnl::binary::desc desc(binary_algorithm(node.op_type), b.desc(src0), b.desc(src1), b.desc(src0));
  const dnnl::binary::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId dst = define_output(b, y, src0, {src1});
  b.add_step(pd, dnnl::binary(pd), {{DNNL_ARG_SRC_0, src0}, {DNNL_ARG_SRC_1, src1}, {DNNL_ARG_DST, dst}}, {node.name});
}

}  // namespace

void register_eltwise_lowerings(LoweringRegistry& registry) {
  for (const char* op : kActivationOps) registry.add(op, lower_activation);
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) registry.add(op, lower_binary);
}

}  // namespace stride::onednn
