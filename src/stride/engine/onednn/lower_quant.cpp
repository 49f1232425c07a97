// QuantizeLinear and DequantizeLinear that no int8 group absorbed: scaled conversions (reorders)
// between f32 and u8/s8 in the layout the value already has. A DequantizeLinear of a constant was
// folded at compile time; one whose readers all run in int8 computes nothing. Cast is taken on
// constants only (f16 or bf16 weights stored smaller, folded to f32 at compile time).
#include "stride/engine/onednn/graph_constants.h"
#include "stride/engine/onednn/lowering.h"
#include "stride/ir/ops/quant_ops.h"

namespace stride::onednn {
namespace {

// `layout` with its elements of `type`.
memory::desc with_type(const memory::desc& layout, memory::data_type type) {
  dnnl_memory_desc_t d = layout.data;
  d.data_type = static_cast<dnnl_data_type_t>(type);
  return memory::desc(d);
}

// A reorder that computes y = (x - zero_point_x) · scale + zero_point_y, each per tensor or, for the
// scale, per channel along `axis`.
void add_scaled_conversion(PlanBuilder& b, const Node& node, std::vector<float> scales, std::optional<size_t> axis,
                           int zero_point_arg) {
  const std::string& x = node.inputs.at(0);
  const std::string& y = node.outputs.at(0);
  const ValueId src = b.value_for_kernel(x);
  const memory::desc dst_desc = with_type(b.desc(src), dnnl_type(b.shapes().at(y).dtype));
  dnnl::primitive_attr attr = scratchpad_attr();
  attr.set_output_scales(axis ? 1 << *axis : 0, scales);
  if (node.inputs.size() > 2 && !node.inputs[2].empty()) {
    const std::vector<float> zp = constant_floats(b.graph(), b.shapes(), node, node.inputs[2], "zero point");
    if (zp.size() != 1) fail_node(node, "the onednn backend takes one zero point for the whole tensor, got {}", zp.size());
    if (zp[0] != 0.0f) attr.set_zero_points(zero_point_arg, 0, {static_cast<int32_t>(zp[0])});
  }
  const dnnl::reorder::primitive_desc pd(b.engine(), b.desc(src), b.engine(), dst_desc, attr);
  b.add_step(pd, dnnl::reorder(pd), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, b.define(y, pd.dst_desc())}}, {node.name});
}

std::optional<size_t> scale_axis(const PlanBuilder& b, const Node& node) {
  return ops::quant_channel_axis(node, b.shape(node.inputs.at(0)), b.shape(node.inputs.at(1)));
}

void lower_quantize(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  std::vector<float> scales = constant_floats(b.graph(), b.shapes(), node, node.inputs.at(1), "scale");
  for (float& s : scales) s = 1.0f / s;
  add_scaled_conversion(b, node, std::move(scales), scale_axis(b, node), DNNL_ARG_DST);
}

void lower_dequantize(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  if (g.elided || b.constant(node.outputs.at(0))) return;
  add_scaled_conversion(b, node, constant_floats(b.graph(), b.shapes(), node, node.inputs.at(1), "scale"),
                        scale_axis(b, node), DNNL_ARG_SRC);
}

void lower_cast(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  if (!b.constant(node.outputs.at(0)))
    fail_node(node, "the onednn backend casts constants only (weights stored as f16 or bf16), not '{}'",
              node.inputs.at(0));
}

}  // namespace

void register_quant_lowerings(LoweringRegistry& registry) {
  registry.add("QuantizeLinear", lower_quantize);
  registry.add("DequantizeLinear", lower_dequantize);
  registry.add("Cast", lower_cast);
}

}  // namespace stride::onednn
