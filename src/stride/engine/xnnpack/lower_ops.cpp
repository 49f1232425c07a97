// What XNNPACK runs of a graph, in f32 and channels-last: Conv (2-D, and 3-D with temporal stride 1
// as a sum of 2-D convolutions over frames — XNNPACK has no 3-D operators), MaxPool (2-D), Gemm
// with constant weights (fully connected), Softmax over the last axis of a matrix, Relu (fused into
// the convolution or fully connected layer before it where that is its only reader), LeakyRelu and
// Add. Anything else, or these with attributes XNNPACK lacks, returns false and runs on ref. In QDQ
// graphs the conversions (lower_quant.cpp) and the int8 operators (lower_int8.cpp) are tried first;
// what they leave runs here in f32, on the dequantized values.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "stride/engine/xnnpack/operator_args.h"
#include "stride/engine/xnnpack/xnnpack_plan.h"

namespace stride::xnnpack {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

bool is_f32(const PlanBuilder& b, const std::string& value) { return b.info(value).dtype == DType::f32; }

// The output range of a node, and the Relu folded into it when that is its only reader. Looked at
// before the operator is made, recorded (finish_activation) once it is: a node XNNPACK refuses
// leaves its Relu to run on its own.
struct Activation {
  float min = -kInf;
  const Node* relu = nullptr;
  std::string output;  // the value the node's buffer holds at the end (the Relu's output when fused)
};

Activation fuse_relu(const PlanBuilder& b, const Node& node) {
  if (const Node* relu = b.fusable_relu(node.outputs[0])) return {0.0f, relu, relu->outputs[0]};
  return {-kInf, nullptr, node.outputs[0]};
}

void finish_activation(PlanBuilder& b, const Node& node, const Activation& a) {
  if (!a.relu) return;
  b.mark_fused(*a.relu);
  b.alias(a.output, node.outputs[0]);
}

std::string fused_name(const Node& node, const Activation& a) {
  return a.output == node.outputs[0] ? node.name : node.name + " + Relu";
}

Operator make_conv2d(const WindowGeometry& g, size_t spatial0, int64_t groups, int64_t in_channels,
                     int64_t out_channels, const std::vector<float>& kernel, const float* bias, float min,
                     const std::string& node) {
  const Window2d w = conv_window_2d(g, spatial0);
  xnn_operator_t op = nullptr;
  check(xnn_create_convolution2d_nhwc_f32(w.pad_top, w.pad_right, w.pad_bottom, w.pad_left, w.kernel_height,
                                          w.kernel_width, w.stride_height, w.stride_width, w.dilation_height,
                                          w.dilation_width, static_cast<uint32_t>(groups),
                                          static_cast<size_t>(in_channels / groups),
                                          static_cast<size_t>(out_channels / groups), static_cast<size_t>(in_channels),
                                          static_cast<size_t>(out_channels), kernel.data(), bias, min, kInf, 0, &op),
        fmt::format("the convolution of node '{}'", node));
  return Operator(op);
}

// Conv 2-D: one XNNPACK convolution.
bool lower_conv2d(PlanBuilder& b, const Node& node, const Tensor& w, const Tensor* bias, const WindowGeometry& g) {
  const Shape& x = b.info(node.inputs[0]).shape;
  const int64_t groups = node.attrs.get_int("group", 1);
  const Activation a = fuse_relu(b, node);
  const Tensor bias_f32 = bias ? bias->to_f32() : Tensor();
  Operator op = make_conv2d(g, 0, groups, x[1], w.shape()[0], ohwi<float>(w.to_f32(), 0),
                            bias ? bias_f32.data<float>() : nullptr, a.min, node.name);
  const Tensor& in = b.value(node.inputs[0], Layout::channels_last);
  Tensor& out = b.define(node.outputs[0], Layout::channels_last);
  check(xnn_setup_convolution2d_nhwc_f32(op.get(), static_cast<size_t>(x[0]), static_cast<size_t>(x[2]),
                                         static_cast<size_t>(x[3]), in.data<float>(), out.data<float>(), b.pool()),
        fmt::format("the convolution of node '{}'", node.name));
  b.add_operator_step(std::move(op), "convolution2d_nhwc_f32", fused_name(node, a));
  finish_activation(b, node, a);
  return true;
}

// Conv 3-D: out[t] = Σ_dt conv2d_dt(in[t·stride + dt·dilation − pad]), each temporal tap a 2-D
// convolution of one frame (XNNPACK has no 3-D operators), the taps summed, then the bias and the
// fused Relu. With temporal stride and dilation 1 and no temporal padding, the frames a tap reads
// for all output frames are contiguous in channels-last NDHWC: one run per tap and sample covers them.
bool lower_conv3d(PlanBuilder& b, const Node& node, const Tensor& w, const Tensor* bias, const WindowGeometry& g) {
  if (node.attrs.get_int("group", 1) != 1) return false;
  const Shape& x = b.info(node.inputs[0]).shape;  // [N, C, D, H, W]
  const Shape& y = b.info(node.outputs[0]).shape;
  const int64_t taps = w.shape()[2];
  const Activation a = fuse_relu(b, node);
  const Tensor weights_f32 = w.to_f32();
  std::vector<Operator> ops;
  for (int64_t dt = 0; dt < taps; ++dt)
    ops.push_back(make_conv2d(g, 1, 1, x[1], y[1], ohwi<float>(weights_f32, dt), nullptr, -kInf, node.name));
  const Tensor& in = b.value(node.inputs[0], Layout::channels_last);
  Tensor& out = b.define(node.outputs[0], Layout::channels_last);
  std::vector<xnn_operator_t> raw;
  for (Operator& op : ops) {
    raw.push_back(op.get());
    b.add_operator(std::move(op));
  }
  struct Geometry {
    size_t samples, frames_in, frames_out, height, width, in_frame, out_frame, channels;
    int64_t stride, dilation, pad;
    bool contiguous;
  };
  const Geometry t{static_cast<size_t>(x[0]),
                   static_cast<size_t>(x[2]),
                   static_cast<size_t>(y[2]),
                   static_cast<size_t>(x[3]),
                   static_cast<size_t>(x[4]),
                   static_cast<size_t>(x[1] * x[3] * x[4]),
                   static_cast<size_t>(y[1] * y[3] * y[4]),
                   static_cast<size_t>(y[1]),
                   g.strides[0],
                   g.dilations[0],
                   g.pads_begin[0],
                   g.strides[0] == 1 && g.dilations[0] == 1 && g.pads_begin[0] == 0 && g.pads_end[0] == 0};
  std::vector<float> bias_values(t.channels, 0.0f);
  if (bias) {
    const Tensor f = bias->to_f32();
    std::copy(f.values<float>().begin(), f.values<float>().end(), bias_values.begin());
  }
  auto partial = std::make_shared<std::vector<float>>(t.frames_out * t.out_frame);
  pthreadpool_t pool = b.pool();
  const float min = a.min;
  const std::string what = fused_name(node, a);
  // Runs tap `dt` on `frames` frames from input frame `first` into `target`, adding into it unless `assign`.
  auto tap = [=, &in](size_t dt, size_t n, size_t first, size_t frames, float* target, bool assign) {
    float* result = assign ? target : partial->data();
    check(xnn_setup_convolution2d_nhwc_f32(raw[dt], frames, t.height, t.width,
                                           in.data<float>() + (n * t.frames_in + first) * t.in_frame, result, pool),
          "a temporal tap of " + what);
    xnn_run_operator(raw[dt], pool);
    if (!assign)
      for (size_t i = 0; i < frames * t.out_frame; ++i) target[i] += result[i];
  };
  b.add_step({"xnnpack", fmt::format("convolution2d_nhwc_f32 x {} taps", taps), what}, [=, &out] {
    for (size_t n = 0; n < t.samples; ++n) {
      float* sample = out.data<float>() + n * t.frames_out * t.out_frame;
      if (t.contiguous) {
        for (size_t dt = 0; dt < raw.size(); ++dt) tap(dt, n, dt, t.frames_out, sample, dt == 0);
      } else {
        std::fill(sample, sample + t.frames_out * t.out_frame, 0.0f);
        for (size_t f = 0; f < t.frames_out; ++f)
          for (size_t dt = 0; dt < raw.size(); ++dt) {
            const int64_t source = static_cast<int64_t>(f) * t.stride + static_cast<int64_t>(dt) * t.dilation - t.pad;
            if (source >= 0 && source < static_cast<int64_t>(t.frames_in))
              tap(dt, n, static_cast<size_t>(source), 1, sample + f * t.out_frame, false);
          }
      }
      for (size_t i = 0; i < t.frames_out * t.out_frame; ++i)
        sample[i] = std::max(sample[i] + bias_values[i % t.channels], min);
    }
  });
  finish_activation(b, node, a);
  return true;
}

bool lower_conv(PlanBuilder& b, const Node& node) {
  const Tensor* w = b.constant(node.inputs[1]);
  const Tensor* bias = node.inputs.size() > 2 && !node.inputs[2].empty() ? b.constant(node.inputs[2]) : nullptr;
  if (!w || !is_f32(b, node.inputs[0]) || (node.inputs.size() > 2 && !node.inputs[2].empty() && !bias)) return false;
  const Shape& x = b.info(node.inputs[0]).shape;
  const WindowGeometry g = conv_window(node, x, w->shape());
  if (x.size() == 4) return lower_conv2d(b, node, *w, bias, g);
  if (x.size() == 5) return lower_conv3d(b, node, *w, bias, g);
  return false;
}

// MaxPool 2-D. XNNPACK pads with -inf, so ceil_mode's extra window is end padding; it rejects 1×1 windows.
bool lower_max_pool(PlanBuilder& b, const Node& node) {
  const Shape& x = b.info(node.inputs[0]).shape;
  if (x.size() != 4 || node.outputs.size() > 1 || !is_f32(b, node.inputs[0])) return false;
  const WindowGeometry g = pool_window(node, x);
  if (g.kernel[0] * g.kernel[1] == 1) return false;
  const size_t channels = static_cast<size_t>(x[1]);
  const Window2d w = max_pool_window_2d(g);
  xnn_operator_t raw = nullptr;
  check(xnn_create_max_pooling2d_nhwc_f32(w.pad_top, w.pad_right, w.pad_bottom, w.pad_left, w.kernel_height,
                                          w.kernel_width, w.stride_height, w.stride_width, w.dilation_height,
                                          w.dilation_width, channels, channels, channels, -kInf, kInf, 0, &raw),
        fmt::format("the max pooling of node '{}'", node.name));
  Operator op(raw);
  const Tensor& in = b.value(node.inputs[0], Layout::channels_last);
  Tensor& out = b.define(node.outputs[0], Layout::channels_last);
  check(xnn_setup_max_pooling2d_nhwc_f32(raw, static_cast<size_t>(x[0]), static_cast<size_t>(x[2]),
                                         static_cast<size_t>(x[3]), in.data<float>(), out.data<float>(), b.pool()),
        fmt::format("the max pooling of node '{}'", node.name));
  b.add_operator_step(std::move(op), "max_pooling2d_nhwc_f32", node.name);
  return true;
}

// Gemm Y = A·B' + C with a constant B, A [M, K] not transposed, alpha 1 and C absent or a constant
// row of N (beta folded in): a fully connected layer.
bool lower_gemm(PlanBuilder& b, const Node& node) {
  const Tensor* weights = b.constant(node.inputs[1]);
  const bool has_c = node.inputs.size() > 2 && !node.inputs[2].empty();
  const Tensor* c = has_c ? b.constant(node.inputs[2]) : nullptr;
  if (!weights || (has_c && !c) || node.attrs.get_int("transA", 0) != 0 ||
      node.attrs.get_float("alpha", 1.0f) != 1.0f || !is_f32(b, node.inputs[0]))
    return false;
  const bool trans_b = node.attrs.get_int("transB", 0) != 0;
  const Shape& a_shape = b.info(node.inputs[0]).shape;
  if (a_shape.size() != 2) return false;
  const int64_t k = a_shape[1], n = trans_b ? weights->shape()[0] : weights->shape()[1];
  std::vector<float> bias;
  if (c) {
    if (c->numel() != n) return false;  // C broadcast along N only
    const Tensor cf = c->to_f32();
    const float beta = node.attrs.get_float("beta", 1.0f);
    for (const float v : cf.values<float>()) bias.push_back(beta * v);
  }
  const Activation act = fuse_relu(b, node);
  const Tensor wf = weights->to_f32();
  xnn_operator_t raw = nullptr;
  check(
      xnn_create_fully_connected_nc_f32(static_cast<size_t>(k), static_cast<size_t>(n), static_cast<size_t>(k),
                                        static_cast<size_t>(n), wf.data<float>(), bias.empty() ? nullptr : bias.data(),
                                        act.min, kInf, trans_b ? 0 : XNN_FLAG_TRANSPOSE_WEIGHTS, &raw),
      fmt::format("the fully connected layer of node '{}'", node.name));
  Operator op(raw);
  const Tensor& in = b.value(node.inputs[0], Layout::onnx);
  Tensor& out = b.define(node.outputs[0], Layout::onnx);
  check(xnn_setup_fully_connected_nc_f32(raw, static_cast<size_t>(a_shape[0]), in.data<float>(), out.data<float>(),
                                         b.pool()),
        fmt::format("the fully connected layer of node '{}'", node.name));
  b.add_operator_step(std::move(op), "fully_connected_nc_f32", fused_name(node, act));
  finish_activation(b, node, act);
  return true;
}

// Softmax over the last axis of a matrix.
bool lower_softmax(PlanBuilder& b, const Node& node) {
  const Shape& x = b.info(node.inputs[0]).shape;
  const int64_t axis = node.attrs.get_int("axis", -1);
  if (x.size() != 2 || (axis != -1 && axis != 1) || !is_f32(b, node.inputs[0])) return false;
  const size_t channels = static_cast<size_t>(x[1]);
  xnn_operator_t raw = nullptr;
  check(xnn_create_softmax_nc_f32(channels, channels, channels, 0, &raw),
        fmt::format("the softmax of node '{}'", node.name));
  Operator op(raw);
  const Tensor& in = b.value(node.inputs[0], Layout::onnx);
  Tensor& out = b.define(node.outputs[0], Layout::onnx);
  check(xnn_setup_softmax_nc_f32(raw, static_cast<size_t>(x[0]), in.data<float>(), out.data<float>(), b.pool()),
        fmt::format("the softmax of node '{}'", node.name));
  b.add_operator_step(std::move(op), "softmax_nc_f32", node.name);
  return true;
}

// Relu and LeakyRelu: element by element, in whichever layout the input already is.
bool lower_activation(PlanBuilder& b, const Node& node) {
  if (!is_f32(b, node.inputs[0])) return false;
  const auto [rows, count] = rows_of(b.info(node.inputs[0]).shape);
  xnn_operator_t raw = nullptr;
  const bool leaky = node.op_type == "LeakyRelu";
  const std::string what = leaky ? "leaky_relu_nc_f32" : "clamp_nc_f32";
  if (leaky)
    check(xnn_create_leaky_relu_nc_f32(count, count, count, node.attrs.get_float("alpha", 0.01f), 0, &raw),
          fmt::format("the LeakyRelu of node '{}'", node.name));
  else
    check(xnn_create_clamp_nc_f32(count, count, count, 0.0f, kInf, 0, &raw),
          fmt::format("the Relu of node '{}'", node.name));
  Operator op(raw);
  const Layout layout = b.layout_of(node.inputs[0]);
  const Tensor& in = b.value(node.inputs[0], layout);
  Tensor& out = b.define(node.outputs[0], layout);
  check(leaky ? xnn_setup_leaky_relu_nc_f32(raw, rows, in.data<float>(), out.data<float>(), b.pool())
              : xnn_setup_clamp_nc_f32(raw, rows, in.data<float>(), out.data<float>(), b.pool()),
        fmt::format("the {} of node '{}'", node.op_type, node.name));
  b.add_operator_step(std::move(op), what, node.name);
  return true;
}

// Add of two f32 tensors: in the first one's layout when the shapes are equal, else channels-first
// with ONNX broadcasting (XNNPACK broadcasts the same way, numpy-style).
bool lower_add(PlanBuilder& b, const Node& node) {
  const Shape& sa = b.info(node.inputs[0]).shape;
  const Shape& sb = b.info(node.inputs[1]).shape;
  if (!is_f32(b, node.inputs[0]) || !is_f32(b, node.inputs[1]) || sa.size() > XNN_MAX_TENSOR_DIMS ||
      sb.size() > XNN_MAX_TENSOR_DIMS)
    return false;
  xnn_operator_t raw = nullptr;
  check(xnn_create_add_nd_f32(-kInf, kInf, 0, &raw), fmt::format("the Add of node '{}'", node.name));
  Operator op(raw);
  const Layout layout = sa == sb ? b.layout_of(node.inputs[0]) : Layout::onnx;
  const Tensor& a = b.value(node.inputs[0], layout);
  const Tensor& c = b.value(node.inputs[1], layout);
  Tensor& out = b.define(node.outputs[0], layout);
  const std::vector<size_t> da(a.shape().begin(), a.shape().end()), dc(c.shape().begin(), c.shape().end());
  check(xnn_setup_add_nd_f32(raw, da.size(), da.data(), dc.size(), dc.data(), a.data<float>(), c.data<float>(),
                             out.data<float>(), b.pool()),
        fmt::format("the Add of node '{}'", node.name));
  b.add_operator_step(std::move(op), "add_nd_f32", node.name);
  return true;
}

}  // namespace

bool lower_with_xnnpack(PlanBuilder& builder, const Node& node) {
  if (node.outputs.empty() || node.outputs[0].empty()) return false;
  if (lower_quantization(builder, node)) return true;
  try {
    if (lower_in_int8(builder, node)) return true;
  } catch (const Error&) {  // XNNPACK refused these scales (a requantization scale too large): f32 it is
  }
  if (node.op_type == "Conv") return lower_conv(builder, node);
  if (node.op_type == "MaxPool") return lower_max_pool(builder, node);
  if (node.op_type == "Gemm") return lower_gemm(builder, node);
  if (node.op_type == "Softmax") return lower_softmax(builder, node);
  if (node.op_type == "Relu" || node.op_type == "LeakyRelu") return lower_activation(builder, node);
  if (node.op_type == "Add") return lower_add(builder, node);
  return false;
}

}  // namespace stride::xnnpack
