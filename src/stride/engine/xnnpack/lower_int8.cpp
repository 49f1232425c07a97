// Ops between DequantizeLinear and QuantizeLinear run as one XNNPACK int8 operator on the int8
// values themselves (in XNNPACK's s8 form, channels_last.h), the requantization and a Relu before
// it fused:
//   - Conv 2-D and Gemm: qc8 convolutions (s8 weights, one scale per output channel; a Gemm is a
//     1×1 convolution of a 1×1 image per row, XNNPACK having no per-channel fully connected
//     layer). XNNPACK sums in s32 and requantizes once, as round-half-to-even of
//     acc · s_in · s_w[c] / s_out; ref rounds the f32 sum, so the two may differ by one step.
//   - MaxPool 2-D with the same quantization in and out: max of the int8 values.
//   - Add of two tensors of one shape.
//   - Reshape, Flatten, Squeeze, Unsqueeze, Transpose and Concat of one quantization: the ref
//     kernels move the int8 values.
// Conv 3-D stays in f32 (lower_ops.cpp, on the dequantized input): its per-frame 2-D convolutions
// would each requantize, and XNNPACK has no operator that returns the s32 sums to add exactly.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "stride/engine/xnnpack/operator_args.h"
#include "stride/engine/xnnpack/qdq_match.h"

namespace stride::xnnpack {
namespace {

// The lowest s8 value the fused output keeps: the zero point under a Relu.
int8_t output_min(const Requantization& r) { return r.relu ? r.quantization.s8_zero_point() : INT8_MIN; }

// Marks the Relu and QuantizeLinear absorbed by `node` as fused; the names of what its step computes.
std::string absorb(PlanBuilder& b, const Node& node, const Requantization& r) {
  std::string names = node.name;
  for (const Node* n : {r.relu, r.quantize})
    if (n) {
      b.mark_fused(*n);
      names += " + " + n->name;
    }
  return names;
}

// A convolution in int8: 2-D geometry, OHWI s8 kernel and s32 bias on the accumulator's scale.
struct Int8Convolution {
  Window2d window;
  int64_t groups, in_channels, out_channels;
  size_t batch, height, width;
  std::vector<int8_t> kernel;
  std::vector<float> kernel_scales;  // one per output channel
  std::vector<int32_t> bias;         // empty: none
};

// bias[c] / (s_in · s_w[c]) rounded, in double so that a bias written as s32 on that scale (as
// `stride quantize` writes it) comes back unchanged (below 2^22 in magnitude, where the f32 bias it
// was dequantized to is exact enough). nullopt when a value leaves s32.
std::optional<std::vector<int32_t>> accumulator_bias(const Tensor* bias, float beta, float input_scale,
                                                     const std::vector<float>& kernel_scales) {
  if (!bias) return std::vector<int32_t>();
  const Tensor f = bias->to_f32();
  if (f.numel() != static_cast<int64_t>(kernel_scales.size())) return {};
  std::vector<int32_t> out;
  for (size_t c = 0; c < kernel_scales.size(); ++c) {
    const double q = std::nearbyint(static_cast<double>(beta) * f.values<float>()[c] /
                                    (static_cast<double>(input_scale) * kernel_scales[c]));
    if (!(std::fabs(q) <= std::numeric_limits<int32_t>::max())) return {};
    out.push_back(static_cast<int32_t>(q));
  }
  return out;
}

void add_convolution(PlanBuilder& b, const Node& node, const Int8Source& src, const Requantization& r,
                     const Int8Convolution& c) {
  const Window2d& w = c.window;
  xnn_operator_t raw = nullptr;
  check(xnn_create_convolution2d_nhwc_qc8(
            w.pad_top, w.pad_right, w.pad_bottom, w.pad_left, w.kernel_height, w.kernel_width, w.stride_height,
            w.stride_width, w.dilation_height, w.dilation_width, static_cast<uint32_t>(c.groups),
            static_cast<size_t>(c.in_channels / c.groups), static_cast<size_t>(c.out_channels / c.groups),
            static_cast<size_t>(c.in_channels), static_cast<size_t>(c.out_channels), src.quantization.s8_zero_point(),
            src.quantization.scale, c.kernel_scales.data(), c.kernel.data(), c.bias.empty() ? nullptr : c.bias.data(),
            r.quantization.s8_zero_point(), r.quantization.scale, output_min(r), INT8_MAX, 0, &raw),
        fmt::format("the int8 convolution of node '{}'", node.name));
  Operator op(raw);
  const Tensor& in = b.value(src.value, Layout::channels_last);
  Tensor& out = b.define(r.quantize->outputs.at(0), Layout::channels_last);
  check(xnn_setup_convolution2d_nhwc_qc8(raw, c.batch, c.height, c.width, in.data<int8_t>(), out.data<int8_t>(),
                                         b.pool()),
        fmt::format("the int8 convolution of node '{}'", node.name));
  b.add_operator_step(std::move(op), "convolution2d_nhwc_qc8", absorb(b, node, r));
}

// What an int8 Conv or Gemm reads and writes: its int8 input, s8 weights, requantized output and
// constant bias (nullptr: none).
struct Int8LayerParts {
  Int8Source src;
  Int8Weights weights;
  Requantization out;
  const Tensor* bias = nullptr;
};

std::optional<Int8LayerParts> int8_layer_parts(const PlanBuilder& b, const Node& node) {
  const auto src = dequantized_source(b, node.inputs.at(0));
  const auto weights = int8_weights(b, node.inputs.at(1));
  const auto out = requantization(b, node.outputs[0]);
  const bool has_bias = node.inputs.size() > 2 && !node.inputs[2].empty();
  const Tensor* bias = has_bias ? b.constant(node.inputs[2]) : nullptr;
  if (!src || !weights || !out || (has_bias && !bias)) return {};
  return Int8LayerParts{*src, *weights, *out, bias};
}

// Completes `c` with the weights' scales (along `channel_axis` of the weights) and the bias (times
// `beta`) and adds it; false when the scales lie along another axis or the bias leaves s32.
bool add_int8_layer(PlanBuilder& b, const Node& node, const Int8LayerParts& p, Int8Convolution c, size_t channel_axis,
                    float beta) {
  const auto scales = p.weights.channel_scales(channel_axis, c.out_channels);
  if (!scales) return false;
  c.kernel_scales = *scales;
  const auto bias = accumulator_bias(p.bias, beta, p.src.quantization.scale, c.kernel_scales);
  if (!bias) return false;
  c.bias = *bias;
  add_convolution(b, node, p.src, p.out, c);
  return true;
}

bool lower_conv(PlanBuilder& b, const Node& node) {
  const auto p = int8_layer_parts(b, node);
  const Shape& x = b.info(node.inputs[0]).shape;
  if (!p || x.size() != 4) return false;
  const Shape& ws = p->weights.integers->shape();
  return add_int8_layer(b, node, *p,
                        {.window = conv_window_2d(conv_window(node, x, ws), 0),
                         .groups = node.attrs.get_int("group", 1),
                         .in_channels = x[1],
                         .out_channels = ws[0],
                         .batch = static_cast<size_t>(x[0]),
                         .height = static_cast<size_t>(x[2]),
                         .width = static_cast<size_t>(x[3]),
                         .kernel = ohwi<int8_t>(*p->weights.integers, 0)},
                        0, 1.0f);
}

// Gemm Y = A·B' + beta·C with A [M, K] not transposed, alpha 1, C absent or a constant row of N.
bool lower_gemm(PlanBuilder& b, const Node& node) {
  const auto p = int8_layer_parts(b, node);
  const Shape& a = b.info(node.inputs[0]).shape;
  if (!p || a.size() != 2 || node.attrs.get_int("transA", 0) != 0 || node.attrs.get_float("alpha", 1.0f) != 1.0f)
    return false;
  const bool trans_b = node.attrs.get_int("transB", 0) != 0;
  const Tensor& w = *p->weights.integers;  // [N, K] with transB, else [K, N]
  const int64_t k = a[1], n = w.shape()[trans_b ? 0 : 1];
  std::vector<int8_t> kernel(static_cast<size_t>(n * k));
  const int8_t* wv = w.data<int8_t>();
  for (int64_t o = 0; o < n; ++o)
    for (int64_t i = 0; i < k; ++i) kernel[static_cast<size_t>(o * k + i)] = trans_b ? wv[o * k + i] : wv[i * n + o];
  return add_int8_layer(b, node, *p,
                        {.window = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
                         .groups = 1,
                         .in_channels = k,
                         .out_channels = n,
                         .batch = static_cast<size_t>(a[0]),
                         .height = 1,
                         .width = 1,
                         .kernel = std::move(kernel)},
                        trans_b ? 0 : 1, node.attrs.get_float("beta", 1.0f));
}

// MaxPool 2-D whose input and output share one quantization: the max of the int8 values is the
// int8 value of the max. XNNPACK rejects 1×1 windows.
bool lower_max_pool(PlanBuilder& b, const Node& node) {
  const auto src = dequantized_source(b, node.inputs.at(0));
  const auto r = requantization(b, node.outputs[0]);
  const Shape& x = b.info(node.inputs[0]).shape;
  if (!src || !r || r->quantization != src->quantization || x.size() != 4 || node.outputs.size() > 1) return false;
  const WindowGeometry g = pool_window(node, x);
  if (g.kernel[0] * g.kernel[1] == 1) return false;
  const Window2d w = max_pool_window_2d(g);
  const size_t channels = static_cast<size_t>(x[1]);
  xnn_operator_t raw = nullptr;
  check(xnn_create_max_pooling2d_nhwc_s8(w.pad_top, w.pad_right, w.pad_bottom, w.pad_left, w.kernel_height,
                                         w.kernel_width, w.stride_height, w.stride_width, w.dilation_height,
                                         w.dilation_width, channels, channels, channels, output_min(*r), INT8_MAX, 0,
                                         &raw),
        fmt::format("the int8 max pooling of node '{}'", node.name));
  Operator op(raw);
  const Tensor& in = b.value(src->value, Layout::channels_last);
  Tensor& out = b.define(r->quantize->outputs.at(0), Layout::channels_last);
  check(xnn_setup_max_pooling2d_nhwc_s8(raw, static_cast<size_t>(x[0]), static_cast<size_t>(x[2]),
                                        static_cast<size_t>(x[3]), in.data<int8_t>(), out.data<int8_t>(), b.pool()),
        fmt::format("the int8 max pooling of node '{}'", node.name));
  b.add_operator_step(std::move(op), "max_pooling2d_nhwc_s8", absorb(b, node, *r));
  return true;
}

// Add of two int8 tensors of one shape (broadcasting ones stay in f32).
bool lower_add(PlanBuilder& b, const Node& node) {
  const auto lhs = dequantized_source(b, node.inputs.at(0));
  const auto rhs = dequantized_source(b, node.inputs.at(1));
  const auto r = requantization(b, node.outputs[0]);
  if (!lhs || !rhs || !r || b.info(node.inputs[0]).shape != b.info(node.inputs[1]).shape ||
      b.info(node.inputs[0]).shape.size() > XNN_MAX_TENSOR_DIMS)
    return false;
  const Quantization &ql = lhs->quantization, &qr = rhs->quantization, &qo = r->quantization;
  xnn_operator_t raw = nullptr;
  check(xnn_create_add_nd_qs8(ql.s8_zero_point(), ql.scale, qr.s8_zero_point(), qr.scale, qo.s8_zero_point(), qo.scale,
                              output_min(*r), INT8_MAX, 0, &raw),
        fmt::format("the int8 Add of node '{}'", node.name));
  Operator op(raw);
  const Tensor& a = b.value(lhs->value, Layout::channels_last);
  const Tensor& c = b.value(rhs->value, Layout::channels_last);
  Tensor& out = b.define(r->quantize->outputs.at(0), Layout::channels_last);
  const std::vector<size_t> dims(a.shape().begin(), a.shape().end());
  check(xnn_setup_add_nd_qs8(raw, dims.size(), dims.data(), dims.size(), dims.data(), a.data<int8_t>(),
                             c.data<int8_t>(), out.data<int8_t>(), b.pool()),
        fmt::format("the int8 Add of node '{}'", node.name));
  b.add_operator_step(std::move(op), "add_nd_qs8", absorb(b, node, *r));
  return true;
}

// Ops that only move values (every data input and the output of one quantization): the ref kernel
// moves the int8 bytes as they are, the dequantization and requantization around it computing nothing.
bool lower_data_movement(PlanBuilder& b, const Node& node) {
  const size_t data_inputs = node.op_type == "Concat" ? node.inputs.size() : 1;
  const auto r = requantization(b, node.outputs[0]);
  if (!r || r->relu || node.outputs.size() > 1) return false;
  std::vector<std::string> inputs = node.inputs;
  for (size_t i = 0; i < data_inputs; ++i) {
    const auto src = dequantized_source(b, node.inputs[i]);
    if (!src || src->quantization != r->quantization) return false;
    inputs[i] = src->value;
  }
  b.add_ref_step(node, inputs, {r->quantize->outputs.at(0)}, absorb(b, node, *r));
  return true;
}

bool moves_values(const std::string& op_type) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat"})
    if (op_type == op) return true;
  return false;
}

}  // namespace

bool lower_in_int8(PlanBuilder& builder, const Node& node) {
  if (moves_values(node.op_type)) return lower_data_movement(builder, node);
  if (node.op_type == "Conv") return lower_conv(builder, node);
  if (node.op_type == "Gemm") return lower_gemm(builder, node);
  if (node.op_type == "MaxPool") return lower_max_pool(builder, node);
  if (node.op_type == "Add") return lower_add(builder, node);
  return false;
}

}  // namespace stride::xnnpack
