#include "stride/onnx/opset_conversion.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "stride/ir/shape_inference.h"
#include "stride/onnx/legacy_broadcast.h"
#include "stride/onnx/lstm_layout.h"
#include "stride/onnx/value_names.h"

namespace stride::onnx_io {
namespace {

// An attribute that became input #`input` in opset `since`.
struct AttributeBecameInput {
  std::string_view op, attr;
  size_t input;
  int64_t since;
};
constexpr AttributeBecameInput kAttributesBecameInputs[] = {
    {"Squeeze", "axes", 1, 13}, {"Unsqueeze", "axes", 1, 13}, {"ReduceSum", "axes", 1, 13}, {"Clip", "min", 1, 11},
    {"Clip", "max", 2, 11},     {"Dropout", "ratio", 1, 12},  {"Reshape", "shape", 1, 5},
};

// Ops whose `axes` became input #1 in opset 18, which also added noop_with_empty_axes (default 0).
constexpr std::string_view kReduceOps[] = {"ReduceMax", "ReduceMean",   "ReduceMin",       "ReduceProd",     "ReduceL1",
                                           "ReduceL2",  "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"};
constexpr int64_t kReduceAxesInputSince = 18;
constexpr int64_t kLstmLayoutSince = 14;

// An attribute that exists in opsets [first, last] but not in opset 13. Where it holds (or
// defaults to) `ir_value`, the node means what its opset-13 form means and the attribute is
// dropped; any other value has no opset-13 equivalent, for the reason `why`.
struct AttributeOutsideIrOpset {
  std::string_view op, attr;
  int64_t default_value, ir_value, first, last;
  std::string_view why;
};
constexpr std::string_view kBatchStatistics =
    "in training mode it normalizes with the statistics of the batch itself and updates the running ones, a "
    "training step that Stride, an inference engine, does not run; export the model in evaluation mode";
constexpr AttributeOutsideIrOpset kAttributesOutsideIrOpset[] = {
    {"BatchNormalization", "spatial", 1, 1, 1, 8, "spatial=0 keeps a mean and variance per element, not per channel"},
    {"BatchNormalization", "is_test", 0, 1, 1, 6, kBatchStatistics},
    {"BatchNormalization", "training_mode", 0, 0, 14, kMaxOpset, kBatchStatistics},
};

// An attribute of opsets up to `last` that changes nothing Stride computes, dropped whatever its
// value. An empty op stands for every op.
struct IgnoredAttribute {
  std::string_view op, attr;
  int64_t last;
};
constexpr IgnoredAttribute kIgnoredAttributes[] = {
    // A hint for in-place memory reuse.
    {"", "consumed_inputs", 5},
    // Inference runs Dropout as the identity, whatever the model was exported for.
    {"Dropout", "is_test", 6},
    // Only whether Y is an output depended on it, and opset 7 left Y optional.
    {"LSTM", "output_sequence", 6},
    // Gemm's C broadcast only with broadcast=1; numpy broadcasting covers both forms.
    {"Gemm", "broadcast", 6},
};

// Concat's axis defaulted to 1 until opset 4 made it required.
constexpr int64_t kConcatAxisRequiredSince = 4;
constexpr std::string_view kLegacyBroadcastOps[] = {"Add", "Sub", "Mul", "Div"};

// Softmax-like ops that, before opset 13, defaulted to axis 1 and flattened the input from there
// on. Setting axis 1 explicitly keeps the default; check_softmax_axes() refuses the cases where
// the flattening mattered.
constexpr std::string_view kSoftmaxOps[] = {"Softmax", "LogSoftmax", "Hardmax"};
constexpr int64_t kSoftmaxAxisChangedIn = 13;

class OpsetConverter {
 public:
  OpsetConverter(Graph& graph, int64_t opset) : graph_(graph), opset_(opset), names_(graph) {}

  void run() {
    for (Node& node : graph_.nodes) {
      for (const auto& rule : kIgnoredAttributes)
        if ((rule.op.empty() || node.op_type == rule.op) && opset_ <= rule.last)
          node.attrs.erase(std::string(rule.attr));
      if (node.op_type == "Concat" && opset_ < kConcatAxisRequiredSince && !node.attrs.has("axis"))
        node.attrs.set("axis", int64_t{1});
      for (auto op : kLegacyBroadcastOps)
        if (node.op_type == op && opset_ < kNumpyBroadcastSince) drop_plain_legacy_broadcast(node);
      // The IR's Reshape reads opset 14's allowzero=1: with a shape known only at run time, its
      // zero-sized dimensions have no opset-13 form.
      if (node.op_type == "Reshape" && node.attrs.get_int("allowzero", 1) == 0) node.attrs.erase("allowzero");
      for (const auto& rule : kAttributesBecameInputs)
        if (node.op_type == rule.op && opset_ < rule.since) attribute_to_input(node, rule);
      for (auto op : kReduceOps)
        if (node.op_type == op && opset_ >= kReduceAxesInputSince) {
          axes_input_to_attribute(node);
          drop_default(node, "noop_with_empty_axes", 0);
        }
      for (const auto& rule : kAttributesOutsideIrOpset)
        if (node.op_type == rule.op && opset_ >= rule.first && opset_ <= rule.last) drop_if_ir_value(node, rule);
      for (auto op : kSoftmaxOps)
        if (node.op_type == op && opset_ < kSoftmaxAxisChangedIn && !node.attrs.has("axis"))
          node.attrs.set("axis", int64_t{1});
    }
    if (opset_ >= kLstmLayoutSince) make_lstms_sequence_first(graph_, names_);
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
    const std::string name = names_.fresh(node.name + "_" + attr);
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
    drop_if_ir_value(node, {node.op_type, attr, default_value, default_value, 0, 0, ""});
  }

  // Drops an attribute opset 13 lacks where the node means its opset-13 form; refuses it otherwise.
  static void drop_if_ir_value(Node& node, const AttributeOutsideIrOpset& rule) {
    const std::string attr(rule.attr);
    const bool given = node.attrs.has(attr);
    const AttrValue value = given ? node.attrs.all().at(attr) : AttrValue{rule.default_value};
    const auto* i = std::get_if<int64_t>(&value);
    if (!i || *i != rule.ir_value)
      fail("node '{}' ({}): attribute '{}' is {}{}, which ONNX opset {} (Stride's IR) cannot express{}{}", node.name,
           node.op_type, attr, i ? std::to_string(*i) : "not an integer", given ? "" : " (its default)", kIrOpset,
           rule.why.empty() ? "" : ": ", rule.why);
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
  ValueNames names_;
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
