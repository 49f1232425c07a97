#include "stride/onnx/opset_conversion.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "stride/ir/shape_inference.h"

namespace stride::onnx_io {
namespace {

// An attribute that became input #`input` in opset `since`.
struct AttributeBecameInput {
  std::string_view op, attr;
  size_t input;
  int64_t since;
};
constexpr AttributeBecameInput kAttributesBecameInputs[] = {
    {"Squeeze", "axes", 1, 13}, {"Unsqueeze", "axes", 1, 13}, {"Clip", "min", 1, 11},
    {"Clip", "max", 2, 11},     {"Dropout", "ratio", 1, 12},
};

// Ops whose `axes` became input #1 in opset 18, which also added noop_with_empty_axes (default 0).
constexpr std::string_view kReduceOps[] = {"ReduceMax", "ReduceMean",   "ReduceMin",       "ReduceProd",     "ReduceL1",
                                           "ReduceL2",  "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
constexpr int64_t kReduceAxesInputSince = 18;

// An attribute that exists in opsets [first, last] but not in opset 13. With its default value
// it changes nothing and is dropped; any other value has no opset-13 equivalent.
struct AttributeOutsideIrOpset {
  std::string_view op, attr;
  int64_t default_value, first, last;
};
constexpr AttributeOutsideIrOpset kAttributesOutsideIrOpset[] = {
    {"BatchNormalization", "spatial", 1, 7, 8},
    {"BatchNormalization", "training_mode", 0, 14, kMaxOpset},
    {"Reshape", "allowzero", 0, 14, kMaxOpset},
    {"LSTM", "layout", 0, 14, kMaxOpset},
};

// Softmax-like ops that, before opset 13, defaulted to axis 1 and flattened the input from there
// on. Setting axis 1 explicitly keeps the default; check_softmax_axes() refuses the cases where
// the flattening mattered.
constexpr std::string_view kSoftmaxOps[] = {"Softmax", "LogSoftmax", "Hardmax"};
constexpr int64_t kSoftmaxAxisChangedIn = 13;

class OpsetConverter {
 public:
  OpsetConverter(Graph& graph, int64_t opset) : graph_(graph), opset_(opset) {
    for (const auto& v : graph.inputs) names_.insert(v.name);
    for (const auto& [name, t] : graph.initializers) names_.insert(name);
    for (const auto& n : graph.nodes) names_.insert(n.outputs.begin(), n.outputs.end());
  }

  void run() {
    for (Node& node : graph_.nodes) {
      for (const auto& rule : kAttributesBecameInputs)
        if (node.op_type == rule.op && opset_ < rule.since) attribute_to_input(node, rule);
      for (auto op : kReduceOps)
        if (node.op_type == op && opset_ >= kReduceAxesInputSince) {
          axes_input_to_attribute(node);
          drop_default(node, "noop_with_empty_axes", 0);
        }
      for (const auto& rule : kAttributesOutsideIrOpset)
        if (node.op_type == rule.op && opset_ >= rule.first && opset_ <= rule.last)
          drop_default(node, std::string(rule.attr), rule.default_value);
      for (auto op : kSoftmaxOps)
        if (node.op_type == op && opset_ < kSoftmaxAxisChangedIn && !node.attrs.has("axis"))
          node.attrs.set("axis", int64_t{1});
    }
    erase_unused_initializers();
  }

 private:
  void attribute_to_input(Node& node, const AttributeBecameInput& rule) {
    const std::string attr(rule.attr);
    if (!node.attrs.has(attr)) return;
    const AttrValue& value = node.attrs.all().at(attr);
    Tensor tensor;
    if (const auto* ints = std::get_if<std::vector<int64_t>>(&value))
      tensor = Tensor::from_vector<int64_t>({static_cast<int64_t>(ints->size())}, *ints);
    else if (const auto* f = std::get_if<float>(&value))
      tensor = Tensor::scalar(*f);
    else
      fail("node '{}' ({}): attribute '{}' has an unexpected kind", node.name, node.op_type, attr);
    const std::string name = unique_name(node.name + "_" + attr);
    graph_.initializers.emplace(name, std::move(tensor));
    if (node.inputs.size() <= rule.input) node.inputs.resize(rule.input + 1);
    node.inputs[rule.input] = name;
    node.attrs.erase(attr);
  }

  void axes_input_to_attribute(Node& node) {
    if (node.inputs.size() < 2) return;
    const std::string axes_name = node.inputs[1];
    node.inputs.resize(1);
    if (axes_name.empty()) return;
    const Tensor* axes = constant_value(axes_name);
    if (!axes)
      fail("node '{}' ({}) takes its axes from '{}', which is not a constant; Stride needs axes fixed in the model",
           node.name, node.op_type, axes_name);
    node.attrs.set("axes", axes->to_int64_vector());
    maybe_unused_.insert(axes_name);
  }

  // Drops an attribute opset 13 lacks when it holds its default; refuses any other value.
  static void drop_default(Node& node, const std::string& attr, int64_t default_value) {
    if (!node.attrs.has(attr)) return;
    const auto* value = std::get_if<int64_t>(&node.attrs.all().at(attr));
    if (!value || *value != default_value)
      fail("node '{}' ({}) sets attribute '{}' to other than {}, which ONNX opset {} (Stride's IR) cannot express",
           node.name, node.op_type, attr, default_value, kIrOpset);
    node.attrs.erase(attr);
  }

  const Tensor* constant_value(const std::string& name) const {
    if (auto it = graph_.initializers.find(name); it != graph_.initializers.end() && !graph_.input(name))
      return &it->second;
    const Node* producer = graph_.producer(name);
    if (producer && producer->op_type == "Constant" && producer->attrs.has("value"))
      return &producer->attrs.get_tensor("value");
    return nullptr;
  }

  std::string unique_name(const std::string& base) {
    std::string name = base;
    for (int i = 1; names_.count(name); ++i) name = base + "_" + std::to_string(i);
    names_.insert(name);
    return name;
  }

  // Initializers that only fed the axes inputs now moved into attributes.
  void erase_unused_initializers() {
    if (maybe_unused_.empty()) return;
    std::set<std::string> used;
    for (const auto& n : graph_.nodes) used.insert(n.inputs.begin(), n.inputs.end());
    for (const auto& o : graph_.outputs) used.insert(o.name);
    for (const auto& name : maybe_unused_)
      if (!used.count(name)) graph_.initializers.erase(name);
  }

  Graph& graph_;
  int64_t opset_;
  std::set<std::string> names_;
  std::set<std::string> maybe_unused_;
};

}  // namespace

void convert_to_ir_opset(Graph& graph, int64_t opset) {
  if (opset == kIrOpset) return;
  OpsetConverter(graph, opset).run();
}

void check_softmax_axes(const Graph& graph, int64_t opset) {
  if (opset >= kSoftmaxAxisChangedIn) return;
  auto is_softmax_like = [](const Node& n) {
    return std::find(std::begin(kSoftmaxOps), std::end(kSoftmaxOps), n.op_type) != std::end(kSoftmaxOps);
  };
  if (std::none_of(graph.nodes.begin(), graph.nodes.end(), is_softmax_like)) return;
  const GraphShapes shapes = infer_shapes(graph);
  for (const Node& node : graph.nodes) {
    if (!is_softmax_like(node)) continue;
    const Shape& shape = shapes.at(node.inputs.at(0)).shape;
    const auto rank = static_cast<int64_t>(shape.size());
    int64_t axis = node.attrs.get_int("axis");
    if (axis < 0) axis += rank;
    for (int64_t d = axis + 1; d < rank; ++d)
      if (shape[static_cast<size_t>(d)] > 1)
        fail(
            "node '{}' ({}, opset {}) normalizes its {} input over axes {} to {} together, which opset {} "
            "cannot express; export the model at opset {} or later",
            node.name, node.op_type, opset, shape_str(shape), axis, rank - 1, kIrOpset, kIrOpset);
  }
}

}  // namespace stride::onnx_io
