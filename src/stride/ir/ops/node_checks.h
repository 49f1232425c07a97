#pragma once
// Reading and checking a node's attributes, attribute-like inputs and axes, so that every failure
// names the node. Shape functions and kernels both use these, so that they read a node alike.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stride/ir/op_registry.h"

namespace stride::ops {

// Throws stride::Error prefixed with "node 'NAME' (OP): ", exactly as InferContext::fail does.
template <typename... Args>
[[noreturn]] void fail_at(const Node& node, fmt::format_string<Args...> format, Args&&... args) {
  InferContext(node, {}, {}).fail(format, std::forward<Args>(args)...);
}

// Typed attribute reads with the ONNX default as fallback; a wrong kind fails naming the node.
int64_t int_attr(const Node& node, const std::string& name, int64_t fallback);
float float_attr(const Node& node, const std::string& name, float fallback);
std::optional<float> optional_float_attr(const Node& node, const std::string& name);
std::optional<std::vector<int64_t>> optional_ints_attr(const Node& node, const std::string& name);
// Fails naming the node when the attribute is absent.
const Tensor& tensor_attr(const Node& node, const std::string& name);

// A list of integers that older opsets give as attribute `name` and newer ones as input #`input`
// (Squeeze/Unsqueeze axes, ReduceMax/ReduceMean axes, the Reshape shape). `value` is that input's
// tensor, or nullptr when it is absent or not known before run time. Returns nullopt when neither
// form is given. Fails naming the node when both are, when the input is used but `value` is
// unknown, or when it is not an integer tensor of rank 0 or 1.
std::optional<std::vector<int64_t>> ints_from_attr_or_input(const Node& node, const std::string& name, size_t input,
                                                            const Tensor* value);

// True when the node names input #`input` (absent optional inputs are "" or missing).
bool uses_input(const Node& node, size_t input);

// Fails naming the node when input #`input` is not f32: the math ops compute on f32 only (quantized
// models reach them through DequantizeLinear).
void require_f32(const InferContext& ctx, size_t input);

// shape_numel that names the node when the shape has more elements than can be counted.
int64_t numel_at(const Node& node, const Shape& shape);

// Maps `axis` in [-rank, rank) to [0, rank); fails naming the node and `what` otherwise.
size_t normalize_axis(const Node& node, int64_t axis, size_t rank, const std::string& what);
// normalize_axis over a list that must not name an axis twice.
std::vector<size_t> normalize_axes(const Node& node, const std::vector<int64_t>& axes, size_t rank,
                                   const std::string& what);

}  // namespace stride::ops
