#include "stride/ir/ops/node_checks.h"

#include <set>

namespace stride::ops {
namespace {

// Runs `f`, adding the node's name to any stride::Error it throws.
template <typename F>
auto naming_node(const Node& node, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    fail_at(node, "{}", e.what());
  }
}

}  // namespace

int64_t int_attr(const Node& node, const std::string& name, int64_t fallback) {
  return naming_node(node, [&] { return node.attrs.get_int(name, fallback); });
}

float float_attr(const Node& node, const std::string& name, float fallback) {
  return naming_node(node, [&] { return node.attrs.get_float(name, fallback); });
}

std::optional<float> optional_float_attr(const Node& node, const std::string& name) {
  if (!node.attrs.has(name)) return std::nullopt;
  return naming_node(node, [&] { return node.attrs.get_float(name); });
}

std::optional<std::vector<int64_t>> optional_ints_attr(const Node& node, const std::string& name) {
  if (!node.attrs.has(name)) return std::nullopt;
  return naming_node(node, [&] { return node.attrs.get_ints(name); });
}

const Tensor& tensor_attr(const Node& node, const std::string& name) {
  if (!node.attrs.has(name)) fail_at(node, "needs the tensor attribute '{}'", name);
  return naming_node(node, [&]() -> const Tensor& { return node.attrs.get_tensor(name); });
}

bool uses_input(const Node& node, size_t input) { return input < node.inputs.size() && !node.inputs[input].empty(); }

std::optional<std::vector<int64_t>> ints_from_attr_or_input(const Node& node, const std::string& name, size_t input,
                                                            const Tensor* value) {
  std::optional<std::vector<int64_t>> from_attr = optional_ints_attr(node, name);
  if (!uses_input(node, input)) return from_attr;
  if (from_attr) fail_at(node, "gives '{}' both as an attribute and as input #{}; expected one of them", name, input);
  if (!value)
    fail_at(node, "input #{} ('{}', the {}) must be known before run time (an initializer or a Constant node)", input,
            node.inputs[input], name);
  const bool integer = value->dtype() == DType::s64 || value->dtype() == DType::s32 || value->dtype() == DType::s8 ||
                       value->dtype() == DType::u8;
  if (!integer || value->rank() > 1)
    fail_at(node, "input #{} ('{}', the {}) must be an integer tensor of rank 0 or 1, got {} {}", input, node.inputs[input], name,
            dtype_name(value->dtype()), shape_str(value->shape()));
  return value->to_int64_vector();
}

void require_f32(const InferContext& ctx, size_t input) {
  const DType dtype = ctx.input(input).dtype;
  if (dtype != DType::f32)
    ctx.fail("input #{} ('{}') is {}; this op computes on f32 only", input, ctx.node().inputs[input],
             dtype_name(dtype));
}

int64_t numel_at(const Node& node, const Shape& shape) {
  return naming_node(node, [&] { return shape_numel(shape); });
}

size_t normalize_axis(const Node& node, int64_t axis, size_t rank, const std::string& what) {
  const int64_t r = static_cast<int64_t>(rank);
  if (rank == 0) fail_at(node, "{} {} is out of range: the tensor is a scalar, it has no axes", what, axis);
  if (axis < -r || axis >= r)
    fail_at(node, "{} {} is out of range for rank {} (expected {} to {})", what, axis, rank, -r, r - 1);
  return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

std::vector<size_t> normalize_axes(const Node& node, const std::vector<int64_t>& axes, size_t rank,
                                   const std::string& what) {
  std::vector<size_t> out;
  std::set<size_t> seen;
  for (int64_t a : axes) {
    const size_t axis = normalize_axis(node, a, rank, what + " entry");
    if (!seen.insert(axis).second) fail_at(node, "{} names axis {} twice", what, axis);
    out.push_back(axis);
  }
  return out;
}

}  // namespace stride::ops
