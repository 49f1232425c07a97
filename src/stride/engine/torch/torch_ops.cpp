#include "stride/engine/torch/torch_ops.h"

#include <limits>
#include <map>
#include <optional>

#include "stride/core/error.h"
#include "stride/engine/torch/torch_lstm.h"
#include "stride/engine/torch/torch_program.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride::torch_ops {
namespace {

using torch::Tensor;
using Outputs = std::vector<Tensor>;

std::vector<int64_t> to_sizes(const Shape& s) { return {s.begin(), s.end()}; }
Shape shape_of(const Tensor& t) { return {t.sizes().begin(), t.sizes().end()}; }

// Values of a small integer tensor input (Reshape's shape, Squeeze's axes...).
std::vector<int64_t> int_values(const Tensor& t) {
  const Tensor c = t.to(torch::kLong).contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

int64_t normalize_axis(const OpContext& ctx, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) fail("node '{}' ({}): axis {} out of range for rank {}", ctx.node.name, ctx.node.op_type, axis, rank);
  return axis < 0 ? axis + rank : axis;
}

// Pads the spatial dims explicitly when ONNX asks for different padding at the two ends, which
// LibTorch's conv/pool operators cannot express; returns the symmetric padding left to apply.
std::vector<int64_t> pad_asymmetric(Tensor& x, const WindowGeometry& g, double value) {
  if (g.pads_begin == g.pads_end) return g.pads_begin;
  std::vector<int64_t> pad;  // constant_pad_nd wants (last dim begin, end, second-to-last ...)
  for (size_t d = g.rank(); d-- > 0;) {
    pad.push_back(g.pads_begin[d]);
    pad.push_back(g.pads_end[d]);
  }
  x = torch::constant_pad_nd(x, pad, value);
  return std::vector<int64_t>(g.rank(), 0);
}

Outputs conv(const OpContext& ctx) {
  Tensor x = ctx.input(0);
  const Tensor& w = ctx.input(1);
  const WindowGeometry g = conv_window(ctx.node, shape_of(x), shape_of(w));
  const auto padding = pad_asymmetric(x, g, 0.0);
  const Tensor bias = ctx.has_input(2) ? ctx.inputs[2] : Tensor();
  return {at::convolution(x, w, bias, g.strides, padding, g.dilations, false,
                          std::vector<int64_t>(g.rank(), 0), ctx.node.attrs.get_int("group", 1))};
}

Outputs max_pool(const OpContext& ctx) {
  if (ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty())
    fail("node '{}' (MaxPool): the Indices output is not supported", ctx.node.name);
  Tensor x = ctx.input(0);
  const WindowGeometry g = pool_window(ctx.node, shape_of(x));
  const auto padding = pad_asymmetric(x, g, -std::numeric_limits<double>::infinity());
  const bool ceil = ctx.node.attrs.get_int("ceil_mode", 0) != 0;
  switch (g.rank()) {
    case 1: return {at::max_pool1d(x, g.kernel, g.strides, padding, g.dilations, ceil)};
    case 2: return {at::max_pool2d(x, g.kernel, g.strides, padding, g.dilations, ceil)};
    case 3: return {at::max_pool3d(x, g.kernel, g.strides, padding, g.dilations, ceil)};
  }
  fail("node '{}' (MaxPool): {}-D pooling is not supported", ctx.node.name, g.rank());
}

Outputs average_pool(const OpContext& ctx) {
  Tensor x = ctx.input(0);
  const WindowGeometry g = pool_window(ctx.node, shape_of(x));
  const bool include_pad = ctx.node.attrs.get_int("count_include_pad", 0) != 0;
  if (g.pads_begin != g.pads_end && !include_pad)
    fail("node '{}' (AveragePool): asymmetric padding without count_include_pad is not supported by torch", ctx.node.name);
  const auto padding = pad_asymmetric(x, g, 0.0);
  const bool ceil = ctx.node.attrs.get_int("ceil_mode", 0) != 0;
  switch (g.rank()) {
    case 1: return {at::avg_pool1d(x, g.kernel, g.strides, padding, ceil, include_pad)};
    case 2: return {at::avg_pool2d(x, g.kernel, g.strides, padding, ceil, include_pad)};
    case 3: return {at::avg_pool3d(x, g.kernel, g.strides, padding, ceil, include_pad)};
  }
  fail("node '{}' (AveragePool): {}-D pooling is not supported", ctx.node.name, g.rank());
}

Outputs global_average_pool(const OpContext& ctx) {
  const Tensor& x = ctx.input(0);
  std::vector<int64_t> dims;
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  return {x.mean(dims, true)};
}

Outputs gemm(const OpContext& ctx) {
  const auto& a = ctx.node.attrs;
  Tensor A = a.get_int("transA", 0) ? ctx.input(0).t() : ctx.input(0);
  Tensor B = a.get_int("transB", 0) ? ctx.input(1).t() : ctx.input(1);
  Tensor y = torch::mm(A, B) * a.get_float("alpha", 1.0f);
  if (ctx.has_input(2)) y = y + ctx.inputs[2] * a.get_float("beta", 1.0f);
  return {y};
}

Outputs batch_norm(const OpContext& ctx) {
  if (ctx.node.attrs.get_int("training_mode", 0)) fail("node '{}': BatchNormalization training_mode is not supported", ctx.node.name);
  return {at::batch_norm(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4), false, 0.0,
                         ctx.node.attrs.get_float("epsilon", 1e-5f), false)};
}

// Axes of ReduceMax/ReduceMean/Squeeze/Unsqueeze: an attribute (older opsets) or input #1.
std::optional<std::vector<int64_t>> axes_of(const OpContext& ctx) {
  if (ctx.node.attrs.has("axes")) return ctx.node.attrs.get_ints("axes");
  if (ctx.has_input(1)) return int_values(ctx.inputs[1]);
  return std::nullopt;
}

template <typename Reduce>
Outputs reduce(const OpContext& ctx, Reduce reduce_fn) {
  const Tensor& x = ctx.input(0);
  const bool keep = ctx.node.attrs.get_int("keepdims", 1) != 0;
  auto axes = axes_of(ctx);
  if (!axes || axes->empty()) {
    if (ctx.node.attrs.get_int("noop_with_empty_axes", 0)) return {x};
    axes = std::vector<int64_t>();
    for (int64_t d = 0; d < x.dim(); ++d) axes->push_back(d);
  }
  for (auto& ax : *axes) ax = normalize_axis(ctx, ax, x.dim());
  return {reduce_fn(x, *axes, keep)};
}

// Clip's bounds: inputs #1/#2 (opset 11+) or attributes min/max (older opsets); either may be absent.
// An input bound keeps its own type, so that clamping an integer tensor leaves it integer.
c10::optional<at::Scalar> clip_bound(const OpContext& ctx, size_t input, const char* attr) {
  if (ctx.has_input(input)) return ctx.inputs[input].item();
  if (ctx.node.attrs.has(attr)) return static_cast<double>(ctx.node.attrs.get_float(attr));
  return c10::nullopt;
}

Outputs clip(const OpContext& ctx) {
  return {torch::clamp(ctx.input(0), clip_bound(ctx, 1, "min"), clip_bound(ctx, 2, "max"))};
}

// Scale/zero-point shaped to broadcast along `axis` of x when they are per-axis (1-D, length > 1).
Tensor along_axis(const OpContext& ctx, const Tensor& param, int64_t rank) {
  if (param.dim() == 0 || param.numel() == 1) return param.reshape({});
  const int64_t axis = normalize_axis(ctx, ctx.node.attrs.get_int("axis", 1), rank);
  std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
  shape[static_cast<size_t>(axis)] = param.numel();
  return param.reshape(shape);
}

Outputs quantize(const OpContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor scale = along_axis(ctx, ctx.input(1), x.dim());
  const auto dtype = ctx.has_input(2) ? ctx.inputs[2].scalar_type() : torch::kByte;
  const Tensor zp = ctx.has_input(2) ? along_axis(ctx, ctx.inputs[2], x.dim()).to(torch::kFloat) : torch::zeros({});
  const double lo = dtype == torch::kByte ? 0 : -128, hi = dtype == torch::kByte ? 255 : 127;
  return {torch::clamp(torch::round(x / scale) + zp, lo, hi).to(dtype)};
}

Outputs dequantize(const OpContext& ctx) {
  const Tensor& x = ctx.input(0);
  const Tensor scale = along_axis(ctx, ctx.input(1), x.dim());
  const Tensor zp = ctx.has_input(2) ? along_axis(ctx, ctx.inputs[2], x.dim()).to(torch::kFloat) : torch::zeros({});
  return {(x.to(torch::kFloat) - zp) * scale};
}

// View ops: the output shape is already known from shape inference.
Outputs reshape_to_inferred(const OpContext& ctx) { return {ctx.input(0).reshape(to_sizes(ctx.output_shapes.at(0)))}; }

const std::map<std::string, Op, std::less<>>& table() {
  static const std::map<std::string, Op, std::less<>> ops = {
      {"Conv", conv},
      {"MaxPool", max_pool},
      {"AveragePool", average_pool},
      {"GlobalAveragePool", global_average_pool},
      {"Gemm", gemm},
      {"MatMul", [](const OpContext& c) { return Outputs{torch::matmul(c.input(0), c.input(1))}; }},
      {"BatchNormalization", batch_norm},
      {"LSTM", lstm},
      {"Relu", [](const OpContext& c) { return Outputs{torch::relu(c.input(0))}; }},
      {"LeakyRelu",
       [](const OpContext& c) { return Outputs{torch::leaky_relu(c.input(0), c.node.attrs.get_float("alpha", 0.01f))}; }},
      {"Sigmoid", [](const OpContext& c) { return Outputs{torch::sigmoid(c.input(0))}; }},
      {"Tanh", [](const OpContext& c) { return Outputs{torch::tanh(c.input(0))}; }},
      {"Clip", clip},
      {"Add", [](const OpContext& c) { return Outputs{c.input(0) + c.input(1)}; }},
      {"Sub", [](const OpContext& c) { return Outputs{c.input(0) - c.input(1)}; }},
      {"Mul", [](const OpContext& c) { return Outputs{c.input(0) * c.input(1)}; }},
      {"Div", [](const OpContext& c) { return Outputs{c.input(0) / c.input(1)}; }},
      {"Reshape", reshape_to_inferred},
      {"Flatten", reshape_to_inferred},
      {"Squeeze", reshape_to_inferred},
      {"Unsqueeze", reshape_to_inferred},
      {"Identity", [](const OpContext& c) { return Outputs{c.input(0)}; }},
      {"Constant", [](const OpContext& c) { return Outputs{to_torch(c.node.attrs.get_tensor("value"))}; }},
      {"Dropout", [](const OpContext& c) { return Outputs{c.input(0)}; }},
      {"Transpose",
       [](const OpContext& c) {
         const Tensor& x = c.input(0);
         std::vector<int64_t> perm = c.node.attrs.get_ints("perm", {});
         if (perm.empty())
           for (int64_t d = x.dim(); d-- > 0;) perm.push_back(d);
         return Outputs{x.permute(perm)};
       }},
      {"Concat",
       [](const OpContext& c) {
         return Outputs{torch::cat(c.inputs, normalize_axis(c, c.node.attrs.get_int("axis"), c.input(0).dim()))};
       }},
      {"ReduceMax", [](const OpContext& c) { return reduce(c, [](const Tensor& x, auto axes, bool k) { return x.amax(axes, k); }); }},
      {"ReduceMean", [](const OpContext& c) { return reduce(c, [](const Tensor& x, auto axes, bool k) { return x.mean(axes, k); }); }},
      {"Softmax",
       [](const OpContext& c) {
         return Outputs{torch::softmax(c.input(0), normalize_axis(c, c.node.attrs.get_int("axis", -1), c.input(0).dim()))};
       }},
      {"QuantizeLinear", quantize},
      {"DequantizeLinear", dequantize},
  };
  return ops;
}

}  // namespace

const torch::Tensor& OpContext::input(size_t i) const {
  if (!has_input(i)) fail("node '{}' ({}): input #{} is absent", node.name, node.op_type, i);
  return inputs[i];
}

const Op* find(std::string_view op_type) {
  auto it = table().find(op_type);
  return it == table().end() ? nullptr : &it->second;
}

}  // namespace stride::torch_ops
