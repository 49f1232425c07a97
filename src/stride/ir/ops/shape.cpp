#include <fmt/ranges.h>

#include <limits>
#include <numeric>
#include <optional>
#include <string>

#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/node_checks.h"
#include "stride/ir/ops/shape_ops.h"

namespace stride::ops {

std::vector<size_t> transpose_perm(const Node& node, size_t rank) {
  std::vector<size_t> perm(rank);
  const auto given = optional_ints_attr(node, "perm");
  if (!given) {
    std::iota(perm.rbegin(), perm.rend(), size_t{0});
    return perm;
  }
  std::vector<bool> seen(rank, false);
  if (given->size() != rank) fail_at(node, "perm has {} entries for an input of rank {}", given->size(), rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t p = (*given)[d];
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(p)])
      fail_at(node, "perm must be a permutation of 0..{}, got entry {} at position {}", rank - 1, p, d);
    seen[static_cast<size_t>(p)] = true;
    perm[d] = static_cast<size_t>(p);
  }
  return perm;
}

size_t concat_axis(const Node& node, size_t rank) {
  if (!node.attrs.has("axis")) fail_at(node, "needs the attribute 'axis'");
  return normalize_axis(node, int_attr(node, "axis", 0), rank, "axis");
}

namespace {

// Reshape's target: 0 copies the input's dimension (unless allowzero=1) and one -1 takes what is left.
Shape reshape_target(const InferContext& ctx) {
  const Node& node = ctx.node();
  const auto requested = ints_from_attr_or_input(node, "shape", 1, ctx.constant(1));
  if (!requested) fail_at(node, "needs the target shape as input #1");
  const Shape& in = ctx.shape(0);
  // Printed as given: shape_str would show the -1 as an unknown dimension.
  const std::string target = fmt::format("[{}]", fmt::join(*requested, ","));
  const bool allow_zero = int_attr(node, "allowzero", 0) != 0;
  Shape out;
  std::optional<size_t> inferred;
  for (size_t i = 0; i < requested->size(); ++i) {
    const int64_t d = (*requested)[i];
    if (d == -1) {
      if (inferred) fail_at(node, "target shape {} has more than one -1", target);
      inferred = i;
      out.push_back(1);
    } else if (d == 0 && !allow_zero) {
      if (i >= in.size())
        fail_at(node, "target shape {} copies input dimension {} (a 0), but the input {} has rank {}", target, i,
                shape_str(in), in.size());
      out.push_back(in[i]);
    } else if (d < 0) {
      fail_at(node, "target shape {} has the invalid dimension {}", target, d);
    } else {
      out.push_back(d);
    }
  }
  const int64_t count = numel_at(node, in);
  const int64_t known = numel_at(node, out);
  if (inferred) {
    if (known == 0 || count % known != 0)
      fail_at(node, "cannot reshape {} ({} elements) to {}: no value of -1 fits", shape_str(in), count, target);
    out[*inferred] = count / known;
  } else if (known != count) {
    fail_at(node, "cannot reshape {} ({} elements) to {} ({} elements)", shape_str(in), count, shape_str(out), known);
  }
  return out;
}

Shape flatten_shape(const InferContext& ctx) {
  const Shape& in = ctx.shape(0);
  const int64_t rank = static_cast<int64_t>(in.size());
  const Node& node = ctx.node();
  int64_t axis = int_attr(node, "axis", 1);
  if (axis < -rank || axis > rank)
    ctx.fail("axis {} is out of range for rank {} (expected {} to {})", axis, rank, -rank, rank);
  if (axis < 0) axis += rank;
  const auto split = in.begin() + axis;
  return {numel_at(node, Shape(in.begin(), split)), numel_at(node, Shape(split, in.end()))};
}

Shape transposed_shape(const InferContext& ctx) {
  const Shape& in = ctx.shape(0);
  Shape out;
  for (size_t p : transpose_perm(ctx.node(), in.size())) out.push_back(in[p]);
  return out;
}

// Squeeze without axes (or with an empty list, as ONNX Runtime reads it) removes every dimension of
// size 1.
Shape squeezed_shape(const InferContext& ctx) {
  const Shape& in = ctx.shape(0);
  const auto axes = ints_from_attr_or_input(ctx.node(), "axes", 1, ctx.constant(1));
  std::vector<bool> drop(in.size(), false);
  if (!axes || axes->empty()) {
    for (size_t d = 0; d < in.size(); ++d) drop[d] = in[d] == 1;
  } else {
    for (size_t d : normalize_axes(ctx.node(), *axes, in.size(), "axes")) {
      if (in[d] != 1) ctx.fail("cannot squeeze axis {} of {}: its size is {}, not 1", d, shape_str(in), in[d]);
      drop[d] = true;
    }
  }
  Shape out;
  for (size_t d = 0; d < in.size(); ++d)
    if (!drop[d]) out.push_back(in[d]);
  return out;
}

// Unsqueeze's axes index the output, whose rank is the input's plus the number of axes.
Shape unsqueezed_shape(const InferContext& ctx) {
  const Shape& in = ctx.shape(0);
  const auto axes = ints_from_attr_or_input(ctx.node(), "axes", 1, ctx.constant(1));
  if (!axes || axes->empty()) ctx.fail("needs 'axes' (an attribute up to opset 12, input #1 from opset 13)");
  const size_t rank = in.size() + axes->size();
  std::vector<bool> inserted(rank, false);
  for (size_t d : normalize_axes(ctx.node(), *axes, rank, "axes")) inserted[d] = true;
  Shape out;
  auto next = in.begin();
  for (size_t d = 0; d < rank; ++d) out.push_back(inserted[d] ? 1 : *next++);
  return out;
}

TensorInfo concat_info(const InferContext& ctx) {
  if (ctx.num_inputs() == 0) ctx.fail("needs at least one input");
  const TensorInfo& first = ctx.input(0);
  const size_t axis = concat_axis(ctx.node(), first.shape.size());
  TensorInfo out = first;
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    const TensorInfo& in = ctx.input(i);
    bool fits = in.dtype == first.dtype && in.shape.size() == first.shape.size();
    for (size_t d = 0; fits && d < in.shape.size(); ++d) fits = d == axis || in.shape[d] == first.shape[d];
    if (!fits)
      ctx.fail("input #{} is {} {}, which does not match input #0 {} {} outside axis {}", i, dtype_name(in.dtype),
               shape_str(in.shape), dtype_name(first.dtype), shape_str(first.shape), axis);
    out.shape[axis] += in.shape[axis];
  }
  return out;
}

// Inference-time Dropout is the identity. Its mask output would be bool, which Stride lacks, and
// training mode would be random, so both are refused rather than computed wrongly.
TensorInfo dropout_info(const InferContext& ctx) {
  const Node& node = ctx.node();
  if (node.outputs.size() > 1 && !node.outputs[1].empty())
    ctx.fail("its mask output '{}' is not supported (Stride has no bool dtype); leave that output unnamed",
             node.outputs[1]);
  if (uses_input(node, 2)) {
    const Tensor* training = ctx.constant(2);
    if (!training) ctx.fail("input #2 (training_mode) must be a constant false; Stride runs inference only");
    const Tensor flags = training->to_f32();
    for (float v : flags.values<float>())
      if (v != 0.0f) ctx.fail("training_mode is true; Stride runs inference only");
  }
  return ctx.input(0);
}

OpDef view(std::string type, size_t min_inputs, size_t max_inputs, std::function<Shape(const InferContext&)> shape) {
  return {.type = std::move(type),
          .min_inputs = min_inputs,
          .max_inputs = max_inputs,
          .infer =
              [shape = std::move(shape)](const InferContext& ctx) {
                return std::vector<TensorInfo>{{ctx.input(0).dtype, shape(ctx)}};
              },
          .is_view = true};
}

}  // namespace

void register_shape_ops(OpRegistry& registry) {
  // Reshape took its shape as an attribute before opset 5, hence one input minimum.
  registry.add(view("Reshape", 1, 2, reshape_target));
  registry.add(view("Flatten", 1, 1, flatten_shape));
  registry.add(view("Squeeze", 1, 2, squeezed_shape));
  registry.add(view("Unsqueeze", 1, 2, unsqueezed_shape));
  registry.add(view("Identity", 1, 1, [](const InferContext& ctx) { return ctx.shape(0); }));
  registry.add({.type = "Dropout",
                .min_inputs = 1,
                .max_inputs = 3,
                .infer = [](const InferContext& ctx) { return std::vector<TensorInfo>{dropout_info(ctx)}; },
                .is_view = true});
  registry.add({.type = "Transpose", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  return std::vector<TensorInfo>{{ctx.input(0).dtype, transposed_shape(ctx)}};
                }});
  registry.add({.type = "Concat",
                .min_inputs = 0,  // concat_info names the node when there is none
                .max_inputs = std::numeric_limits<size_t>::max(),
                .infer = [](const InferContext& ctx) { return std::vector<TensorInfo>{concat_info(ctx)}; }});
  registry.add({.type = "Constant", .min_inputs = 0, .max_inputs = 0, .infer = [](const InferContext& ctx) {
                  const Tensor& value = tensor_attr(ctx.node(), "value");
                  return std::vector<TensorInfo>{{value.dtype(), value.shape()}};
                }});
}

}  // namespace stride::ops
