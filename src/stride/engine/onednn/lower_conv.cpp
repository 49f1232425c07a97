// Conv (1-D, 2-D, 3-D, grouped) with its fused batch norms, bias adds, activations and sum: one
// oneDNN convolution whose weights are prepacked in the layout it chose. An int8 group reads u8/s8
// data and s8 weights and writes its requantized output (or f32) through output scales. Weights
// stored as f16 or bf16 (a Cast of a constant) make the convolution compute in that type, reading
// its input converted and writing f32, where oneDNN has a fast kernel for it; else in f32.
#include "stride/engine/onednn/anchor_parts.h"
#include "stride/engine/onednn/graph_constants.h"
#include "stride/engine/onednn/int8_anchor.h"
#include "stride/engine/onednn/lowering.h"
#include "stride/engine/onednn/window_params.h"

namespace stride::onednn {
namespace {

// oneDNN's grouped weights: [G, M/G, C/G, k...] over the same bytes as ONNX's [M, C/G, k...].
memory::dims weight_dims(const Shape& w, int64_t groups) {
  memory::dims dims = to_dims(w);
  if (groups == 1) return dims;
  dims[0] /= groups;
  dims.insert(dims.begin(), groups);
  return dims;
}

void lower_conv(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const Shape& x = b.shape(node.inputs.at(0));
  const Tensor* w = b.constant(node.inputs.at(1));
  if (!w) fail_node(node, "the onednn backend needs the weights ('{}') to be a constant", node.inputs[1]);
  const OnednnWindow window = onednn_window(conv_window(node, x, w->shape()));
  const int64_t groups = node.attrs.get_int("group", 1);
  const int64_t filters = w->dim(0);

  Tensor weights = w->to_f32();
  std::optional<std::vector<float>> bias;
  if (node.inputs.size() > 2 && !node.inputs[2].empty())
    bias = constant_floats(b.graph(), b.shapes(), node, node.inputs[2], "bias");
  bias = fold_linear_nodes(b, g, &weights, std::move(bias), filters);

  // f32: the weights as computed above; int8: the s8 integers, their scales in the output scales.
  std::optional<Int8Anchor> int8;
  memory::data_type src_type = memory::data_type::f32, dst_type = memory::data_type::f32;
  std::string data = node.inputs[0];
  memory::data_type weight_type = memory::data_type::f32;
  if (g.int8) {
    int8 = int8_anchor(b, g, 0, filters);
    src_type = dnnl_type(int8->source.dtype);
    weight_type = memory::data_type::s8;
    dst_type = int8->dst_type;
    data = b.int8_source(data);
  }

  const memory::dims wdims = weight_dims(w->shape(), groups);
  const memory::dims ydims = to_dims(b.shape(g.output()));
  const memory::desc bias_desc = bias ? plain_desc(memory::dims{filters}) : memory::desc();
  auto make = [&](memory::data_type source, memory::data_type weight) {
    const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                               any_desc(to_dims(x), source), any_desc(wdims, weight), bias_desc,
                                               any_desc(ydims, dst_type), window.strides, window.dilations,
                                               window.pads_begin, window.pads_end);
    return maybe_int8_primitive<dnnl::convolution_forward::primitive_desc>(int8, 1, [&](const OutputScales* scales) {
      return anchor_primitive<dnnl::convolution_forward::primitive_desc>(b, g, desc, scales);
    });
  };
  std::optional<std::pair<dnnl::convolution_forward::primitive_desc, Epilogue>> made;
  if (const auto half = int8 ? std::nullopt : b.qdq().stored_precision(node.inputs[1])) {
    try {
      made = make(dnnl_type(*half), dnnl_type(*half));
      if (is_reference_implementation(made->first.impl_info_str())) made.reset();  // no fast kernel: f32
    } catch (const dnnl::error&) {
      // No kernel at all for this type on this CPU (bf16 before AVX-512, f16 before AVX-512 FP16): f32.
    }
  }
  if (!made) made = make(src_type, weight_type);
  const auto& [pd, epilogue] = *made;
  if (int8) {
    weights = int8->weights;
    if (bias) bias = int8->accumulator_bias(*bias);
  }

  const ValueId src = b.in_layout(b.value(data), pd.src_desc());
  std::vector<StepArg> args{
      {DNNL_ARG_SRC, src},
      {DNNL_ARG_WEIGHTS, b.in_layout(b.constant_value(weights, plain_desc(wdims, weight_type)), pd.weights_desc())}};
  if (bias) args.push_back({DNNL_ARG_BIAS, bias_value(b, *bias, {filters})});
  const ValueId out = define_group_output(b, g, epilogue, pd.dst_desc(), {src}, args);
  args.push_back({DNNL_ARG_DST, out});
  b.add_step(pd, dnnl::convolution_forward(pd), std::move(args), g.node_names());
}

}  // namespace

void register_conv_lowerings(LoweringRegistry& registry) { registry.add("Conv", lower_conv); }

}  // namespace stride::onednn
