#pragma once
// What Stride knows about each op type: how many inputs it takes, how to infer its outputs'
// types and shapes, and how many multiply-accumulates it costs. Backends add kernels; this file
// is the single list of supported ops.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stride/core/error.h"
#include "stride/ir/graph.h"

namespace stride {

struct TensorInfo {
  DType dtype = DType::f32;
  Shape shape;
  bool operator==(const TensorInfo&) const = default;
};

// The view an op's shape function has of one node: its attributes, the types and shapes of its
// inputs, and the values of inputs that are constant (initializers or Constant nodes).
class InferContext {
 public:
  InferContext(const Node& node, std::vector<const TensorInfo*> inputs, std::vector<const Tensor*> constants)
      : node_(node), inputs_(std::move(inputs)), constants_(std::move(constants)) {}

  const Node& node() const { return node_; }
  const Attributes& attrs() const { return node_.attrs; }
  size_t num_inputs() const { return inputs_.size(); }
  bool has_input(size_t i) const { return i < inputs_.size() && inputs_[i] != nullptr; }
  // Throws (naming the node) when input i is absent.
  const TensorInfo& input(size_t i) const;
  const Shape& shape(size_t i) const { return input(i).shape; }
  // The value of input i when it is known before run time, else nullptr.
  const Tensor* constant(size_t i) const { return i < constants_.size() ? constants_[i] : nullptr; }

  // Throws stride::Error prefixed with "node 'NAME' (OP): ".
  template <typename... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) const {
    stride::fail("node '{}' ({}): {}", node_.name, node_.op_type,
                 fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  const Node& node_;
  std::vector<const TensorInfo*> inputs_;
  std::vector<const Tensor*> constants_;
};

struct OpDef {
  std::string type;
  size_t min_inputs = 1;
  size_t max_inputs = 1;
  // Output types and shapes from input types and shapes; fails through ctx.fail() on a mismatch.
  std::function<std::vector<TensorInfo>(const InferContext& ctx)> infer;
  // Multiply-accumulates for one execution; empty for ops that do none worth counting.
  std::function<int64_t(const InferContext& ctx, const std::vector<TensorInfo>& outputs)> macs;
  // True for ops that only relabel memory (Reshape, Flatten, ...): they add no activations.
  bool is_view = false;
};

class OpRegistry {
 public:
  void add(OpDef def);
  const OpDef* find(std::string_view type) const;
  std::vector<std::string> types() const;

 private:
  std::map<std::string, OpDef, std::less<>> defs_;
};

// The registry with every op Stride supports.
const OpRegistry& op_registry();

}  // namespace stride
