// Gemm and MatMul. A Gemm with constant weights is an inner product (weights prepacked); any other
// Gemm and every MatMul is a oneDNN matmul, transposition expressed by strides, constant weights
// prepacked, batch dimensions broadcast. Both take the fused bias, activations and sum. An int8 group
// (constant weights) reads u8/s8 data and s8 weights and writes its requantized output or f32.
#include "stride/engine/onednn/anchor_parts.h"
#include "stride/engine/onednn/graph_constants.h"
#include "stride/engine/onednn/int8_anchor.h"
#include "stride/engine/onednn/lowering.h"

namespace stride::onednn {
namespace {

// A row-major [rows, cols] matrix, or its transpose when `transposed` (the bytes hold [cols, rows]).
memory::desc matrix_desc(int64_t rows, int64_t cols, bool transposed,
                         memory::data_type type = memory::data_type::f32) {
  return memory::desc({rows, cols}, type, transposed ? memory::dims{1, rows} : memory::dims{cols, 1});
}

memory::dims bias_dims(size_t rank, int64_t n) {
  memory::dims dims(rank, 1);
  dims.back() = n;
  return dims;
}

// dst[batch.., M, N] = src[batch.., M, K] × weights[batch.., K, N] + bias, then the group's post-ops.
// `int8`: the group's quantization, when it runs in int8 (src and weights are then u8/s8 and s8).
void add_matmul(PlanBuilder& b, const FusedGroup& g, ValueId src, ValueId weights,
                std::optional<std::vector<float>> bias, const memory::dims& dst_dims,
                const std::optional<Int8Anchor>& int8 = std::nullopt) {
  const memory::dims bdims = bias_dims(dst_dims.size(), dst_dims.back());
  const bool prepack = b.is_constant(weights);
  const memory::data_type dst_type = int8 ? int8->dst_type : memory::data_type::f32;
  const memory::desc weights_desc = b.desc(weights);
  const dnnl::matmul::desc desc(b.desc(src), prepack ? any_desc(weights_desc.dims(), weights_desc.data_type()) : weights_desc,
                                bias ? plain_desc(bdims) : memory::desc(), plain_desc(dst_dims, dst_type));
  std::optional<Int8Anchor> quantized = int8;
  const auto [pd, epilogue] = maybe_int8_primitive<dnnl::matmul::primitive_desc>(
      quantized, static_cast<int>(dst_dims.size()) - 1,
      [&](const OutputScales* scales) { return anchor_primitive<dnnl::matmul::primitive_desc>(b, g, desc, scales); });
  if (quantized) {
    // 7-bit weights (doubled scales) replace the ones given.
    if (quantized->weight_scales != int8->weight_scales) weights = b.constant_value(quantized->weights, weights_desc);
    if (bias) bias = quantized->accumulator_bias(*bias);
  }
  weights = b.in_layout(weights, pd.weights_desc());
  std::vector<StepArg> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}};
  if (bias) args.push_back({DNNL_ARG_BIAS, bias_value(b, *bias, bdims)});
  const ValueId out = define_group_output(b, g, epilogue, b.plain_desc_of(g.output()), {src, weights}, args);
  args.push_back({DNNL_ARG_DST, b.view(out, plain_desc(dst_dims, dst_type))});
  b.add_step(pd, dnnl::matmul(pd), std::move(args), g.node_names());
}

// beta · C as a bias per output column; C must not vary along the rows.
std::optional<std::vector<float>> gemm_bias(const PlanBuilder& b, const Node& node, int64_t m, int64_t n) {
  if (node.inputs.size() < 3 || node.inputs[2].empty()) return std::nullopt;
  const Shape& c = b.shape(node.inputs[2]);
  std::vector<float> values = constant_floats(b.graph(), b.shapes(), node, node.inputs[2], "C input");
  const bool per_column = c.size() < 2 || c[0] == 1 || m == 1;
  if (!per_column)
    fail_node(node, "C {} differs per row; the onednn backend takes C as a bias per output column", shape_str(c));
  if (values.size() == 1) values.assign(static_cast<size_t>(n), values[0]);
  const float beta = node.attrs.get_float("beta", 1.0f);
  for (float& v : values) v *= beta;
  return values;
}

void lower_gemm(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const bool trans_a = node.attrs.get_int("transA", 0) != 0;
  const bool trans_b = node.attrs.get_int("transB", 0) != 0;
  const float alpha = node.attrs.get_float("alpha", 1.0f);
  const Shape& a = b.shape(node.inputs.at(0));
  const Shape& y = b.shape(node.outputs.at(0));
  const int64_t m = y[0], n = y[1], k = trans_a ? a[0] : a[1];
  const auto bias = fold_linear_nodes(b, g, nullptr, gemm_bias(b, node, m, n), n);
  const Tensor* w = b.constant(node.inputs.at(1));

  if (w && !trans_a) {
    // An inner product: weights [N, K]; alpha folded into them (f32) or into the output scales (int8).
    Tensor weights_tensor = w->to_f32();
    std::string data = node.inputs[0];
    std::optional<Int8Anchor> int8;
    std::optional<std::vector<float>> ip_bias = bias;
    memory::data_type src_type = memory::data_type::f32, weight_type = memory::data_type::f32,
                      dst_type = memory::data_type::f32;
    if (g.int8) {
      int8 = int8_anchor(b, g, trans_b ? 0 : 1, n);
      for (float& s : int8->weight_scales) s *= alpha;
      data = b.int8_source(data);
      src_type = dnnl_type(int8->source.dtype);
      weight_type = memory::data_type::s8;
      dst_type = int8->dst_type;
    } else {
      for (float& v : weights_tensor.values<float>()) v *= alpha;
    }
    const dnnl::inner_product_forward::desc desc(
        dnnl::prop_kind::forward_inference, any_desc({m, k}, src_type), any_desc({n, k}, weight_type),
        ip_bias ? plain_desc(memory::dims{n}) : memory::desc(), any_desc({m, n}, dst_type));
    const auto [pd, epilogue] = maybe_int8_primitive<dnnl::inner_product_forward::primitive_desc>(
        int8, 1, [&](const OutputScales* scales) {
          return anchor_primitive<dnnl::inner_product_forward::primitive_desc>(b, g, desc, scales);
        });
    if (int8) {
      weights_tensor = int8->weights;
      if (ip_bias) ip_bias = int8->accumulator_bias(*ip_bias);
    }
    const ValueId weights = b.view(b.constant_value(weights_tensor, plain_desc(to_dims(w->shape()), weight_type)),
                                   matrix_desc(n, k, !trans_b, weight_type));
    const ValueId src = b.in_layout(b.value(data), pd.src_desc());
    std::vector<StepArg> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, b.in_layout(weights, pd.weights_desc())}};
    if (ip_bias) args.push_back({DNNL_ARG_BIAS, bias_value(b, *ip_bias, {n})});
    const ValueId out = define_group_output(b, g, epilogue, pd.dst_desc(), {src}, args);
    args.push_back({DNNL_ARG_DST, out});
    b.add_step(pd, dnnl::inner_product_forward(pd), std::move(args), g.node_names());
    return;
  }
  if (alpha != 1.0f)
    fail_node(node, "alpha={} with run-time B (or transA=1) is not supported by the onednn backend", alpha);
  const ValueId src = b.view(b.plain(node.inputs[0]), matrix_desc(m, k, trans_a));
  const ValueId weights = b.view(b.plain(node.inputs[1]), matrix_desc(k, n, trans_b));
  add_matmul(b, g, src, weights, bias, {m, n});
}

// numpy.matmul's operand shapes as oneDNN takes them: 1-D operands become a row (A) or a column
// (B); batch dims are aligned right and broadcast into the result's.
struct MatmulShapes {
  Shape a, w;
  memory::dims dst;
};

MatmulShapes matmul_shapes(const PlanBuilder& b, const Node& node) {
  MatmulShapes s{b.shape(node.inputs.at(0)), b.shape(node.inputs.at(1)), {}};
  if (s.a.size() == 1) s.a.insert(s.a.begin(), 1);
  if (s.w.size() == 1) s.w.push_back(1);
  const size_t rank = std::max(s.a.size(), s.w.size());
  s.a.insert(s.a.begin(), rank - s.a.size(), 1);
  s.w.insert(s.w.begin(), rank - s.w.size(), 1);
  s.dst.resize(rank);
  for (size_t d = 0; d + 2 < rank; ++d) s.dst[d] = std::max(s.a[d], s.w[d]);
  s.dst[rank - 2] = s.a[rank - 2];
  s.dst[rank - 1] = s.w[rank - 1];
  return s;
}

void lower_matmul(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const auto [a, w, dst] = matmul_shapes(b, node);
  const auto bias = fold_linear_nodes(b, g, nullptr, std::nullopt, dst.back());
  if (g.int8) {
    // Weights [..., K, N] with one scale per output column N.
    const Int8Anchor int8 = int8_anchor(b, g, b.shape(node.inputs[1]).size() - 1, dst.back());
    const std::string& data = b.int8_source(node.inputs[0]);
    const memory::data_type src_type = dnnl_type(int8.source.dtype);
    const ValueId src = b.view(b.plain(data), plain_desc(to_dims(a), src_type));
    const ValueId weights = b.constant_value(int8.weights, plain_desc(to_dims(w), memory::data_type::s8));
    add_matmul(b, g, src, weights, bias, dst, int8);
    return;
  }
  const ValueId src = b.view(b.plain(node.inputs[0]), plain_desc(to_dims(a)));
  const ValueId weights = b.view(b.plain(node.inputs[1]), plain_desc(to_dims(w)));
  add_matmul(b, g, src, weights, bias, dst);
}

// MatMulInteger (dynamic quantization): u8 or s8 data × constant s8 weights into s32, A's zero point
// read at run time (it comes from DynamicQuantizeLinear). Weights rounded to 7 bits where the kernel
// would saturate are compensated by an output scale of 2, so the sums stay those of the graph up to
// that rounding.
void lower_matmul_integer(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const MatmulShapes s = matmul_shapes(b, node);
  const Tensor* weights = b.constant(node.inputs.at(1));
  if (!weights || weights->dtype() != DType::s8)
    fail_node(node, "the onednn backend takes B as constant s8 weights, got '{}'", node.inputs[1]);
  if (node.inputs.size() > 3 && !node.inputs[3].empty()) {
    const std::vector<float> zp = constant_floats(b.graph(), b.shapes(), node, node.inputs[3], "B's zero point");
    if (std::any_of(zp.begin(), zp.end(), [](float v) { return v != 0.0f; }))
      fail_node(node, "the onednn backend takes symmetric weights (B's zero point 0)");
  }
  const bool src_zero_point = node.inputs.size() > 2 && !node.inputs[2].empty();
  const memory::data_type src_type = dnnl_type(b.shapes().at(node.inputs[0]).dtype);
  Tensor integers = *weights;
  float output_scale = 1.0f;
  auto make = [&] {
    dnnl::primitive_attr attr = scratchpad_attr();
    if (src_zero_point) attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
    if (output_scale != 1.0f) attr.set_output_scales(0, {output_scale});
    const dnnl::matmul::desc desc(plain_desc(to_dims(s.a), src_type), any_desc(to_dims(s.w), memory::data_type::s8),
                                  plain_desc(s.dst, memory::data_type::s32));
    return dnnl::matmul::primitive_desc(desc, attr, b.engine());
  };
  dnnl::matmul::primitive_desc pd = make();
  if (saturates_without_7bit_weights(pd.weights_desc())) {
    round_to_7bit(integers);
    output_scale = 2.0f;
    pd = make();
  }
  const ValueId src = b.view(b.plain(node.inputs[0]), plain_desc(to_dims(s.a), src_type));
  const ValueId packed =
      b.in_layout(b.constant_value(integers, plain_desc(to_dims(s.w), memory::data_type::s8)), pd.weights_desc());
  std::vector<StepArg> args{{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, packed}};
  if (src_zero_point)
    args.push_back({DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC,
                    b.in_layout(b.value(node.inputs[2]), plain_desc({1}, memory::data_type::s32))});
  const std::string& y = node.outputs.at(0);
  args.push_back({DNNL_ARG_DST, b.view(b.define(y, b.plain_desc_of(y)), plain_desc(s.dst, memory::data_type::s32))});
  b.add_step(pd, dnnl::matmul(pd), std::move(args), {node.name});
}

}  // namespace

void register_linear_lowerings(LoweringRegistry& registry) {
  registry.add("Gemm", lower_gemm);
  registry.add("MatMul", lower_matmul);
  registry.add("MatMulInteger", lower_matmul_integer);
}

}  // namespace stride::onednn
