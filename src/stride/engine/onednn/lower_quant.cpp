// QuantizeLinear and DequantizeLinear that no int8 group absorbed: scaled conversions (reorders)
// between f32 and u8/s8 in the layout the value already has. A DequantizeLinear of a constant was
// folded at compile time; one whose readers all run in int8 computes nothing. DynamicQuantizeLinear
// finds its scale in the data, which no primitive does: a host step. Cast is folded on constants
// (f16 or bf16 weights stored smaller) and is a reorder from integers to f32 otherwise (the s32
// results of MatMulInteger).
#include <algorithm>

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
    if (zp.size() != 1)
      fail_node(node, "the onednn backend takes one zero point for the whole tensor, got {}", zp.size());
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

// min and max over the data, then ops::dynamic_quant_params and ops::dynamic_quantize — the ref
// kernel's arithmetic, in parallel.
void dynamic_quantize(const OnednnPlan::Args& args) {
  const memory& src = args.at(DNNL_ARG_SRC);
  const float* x = static_cast<const float*>(src.get_data_handle());
  const int64_t n = static_cast<int64_t>(src.get_desc().get_size() / sizeof(float));
  float lo = 0.0f, hi = 0.0f;
#pragma omp parallel for reduction(min : lo) reduction(max : hi)
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  const ops::DynamicQuantParams p = ops::dynamic_quant_params(lo, hi);
  uint8_t* y = static_cast<uint8_t*>(args.at(DNNL_ARG_DST).get_data_handle());
#pragma omp parallel for
  for (int64_t i = 0; i < n; ++i) y[i] = ops::dynamic_quantize(x[i], p);
  *static_cast<float*>(args.at(DNNL_ARG_DST_1).get_data_handle()) = p.scale;
  *static_cast<uint8_t*>(args.at(DNNL_ARG_DST_2).get_data_handle()) = p.zero_point;
}

void lower_dynamic_quantize(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const ValueId x = b.plain(node.inputs.at(0));
  std::vector<StepArg> args{{DNNL_ARG_SRC, x}};
  const int outputs[] = {DNNL_ARG_DST, DNNL_ARG_DST_1, DNNL_ARG_DST_2};
  for (size_t i = 0; i < 3; ++i) {
    const std::string& name = node.outputs.at(i);
    if (name.empty()) fail_node(node, "the onednn backend needs all three outputs named");
    args.push_back({outputs[i], b.define(name, b.plain_desc_of(name))});
  }
  b.add_host_step("dynamic quantization", dynamic_quantize, std::move(args), {node.name});
}

void lower_cast(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  if (b.constant(node.outputs.at(0))) return;
  const DType from = b.shapes().at(node.inputs.at(0)).dtype, to = b.shapes().at(node.outputs.at(0)).dtype;
  const bool integer = from == DType::s8 || from == DType::u8 || from == DType::s32;
  if (!integer || to != DType::f32)
    fail_node(node, "the onednn backend casts integers to f32 at run time (and f16 or bf16 weights), not {} to {}",
              dtype_name(from), dtype_name(to));
  const ValueId src = b.value_for_kernel(node.inputs.at(0));
  const memory::desc dst = with_type(b.desc(src), memory::data_type::f32);
  const dnnl::reorder::primitive_desc pd(b.engine(), b.desc(src), b.engine(), dst, scratchpad_attr());
  b.add_step(pd, dnnl::reorder(pd), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, b.define(node.outputs.at(0), dst)}},
             {node.name});
}

}  // namespace

void register_quant_lowerings(LoweringRegistry& registry) {
  registry.add("QuantizeLinear", lower_quantize);
  registry.add("DequantizeLinear", lower_dequantize);
  registry.add("Cast", lower_cast);
  registry.add("DynamicQuantizeLinear", lower_dynamic_quantize);
}

}  // namespace stride::onednn
