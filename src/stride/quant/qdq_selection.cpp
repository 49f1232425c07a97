#include "stride/quant/qdq_selection.h"

#include <algorithm>
#include <map>
#include <optional>

#include "stride/ir/shape_inference.h"

namespace stride::quant {

std::vector<std::string> QdqSelection::activations() const {
  std::vector<std::string> all;
  for (const auto& group : groups) all.insert(all.end(), group.begin(), group.end());
  return all;
}

bool is_scale_preserving(const Node& node) {
  static const std::set<std::string> kTypes = {"MaxPool", "Reshape",   "Flatten", "Transpose",
                                               "Squeeze", "Unsqueeze", "Concat",  "ReduceMax"};
  if (!kTypes.count(node.op_type)) return false;
  // MaxPool's optional indices output is not a quantity to scale.
  return node.outputs.size() == 1 || (node.outputs.size() > 1 && node.outputs[1].empty());
}

size_t weight_channel_axis(const Node& node, size_t weight_rank) {
  if (node.op_type == "Conv") return 0;
  if (node.op_type == "Gemm") return node.attrs.get_int("transB", 0) ? 0 : 1;
  return weight_rank - 1;  // MatMul's [..., K, N] weight
}

namespace {

bool is_activation_function(const Node& node) { return node.op_type == "Relu" || node.op_type == "LeakyRelu"; }

// The inputs of a scale-preserving op that carry data (Reshape's shape, Squeeze's axes do not).
std::vector<std::string> data_inputs(const Node& node) {
  if (node.op_type == "Concat") return node.inputs;
  return {node.inputs.at(0)};
}

class Selector {
 public:
  Selector(const Graph& graph, const std::set<std::string>& keep_float)
      : graph_(graph), keep_float_(keep_float), shapes_(infer_shapes(graph)) {
    for (const Node& node : graph.nodes)
      for (const std::string& in : node.inputs)
        if (!in.empty()) readers_[in].push_back(&node);
  }

  QdqSelection select() {
    QdqSelection selection;
    for (const Node& node : graph_.nodes)
      if (quantizable(node)) {
        selection.nodes.push_back(node.name);
        chosen_.insert(node.inputs[0]);
      }
    // An output read by a quantized op is chosen above; one read by a scale-preserving op is
    // chosen here, and the closure carries it on through that op.
    for (const Node& node : graph_.nodes) {
      if (std::find(selection.nodes.begin(), selection.nodes.end(), node.name) == selection.nodes.end()) continue;
      const std::string out = output_after_activation(node);
      for (const Node* reader : readers_of(out))
        if (is_scale_preserving(*reader)) chosen_.insert(out);
    }
    close_over_scale_preserving_ops();
    selection.groups = groups();
    return selection;
  }

 private:
  const std::vector<const Node*>& readers_of(const std::string& value) {
    return readers_[value];  // empty for a value nobody reads
  }

  bool is_float_activation(const std::string& value) const {
    return !value.empty() && !graph_.is_initializer(value) && !shapes_.constants.count(value) &&
           shapes_.at(value).dtype == DType::f32;
  }

  bool quantizable(const Node& node) {
    if (node.op_type != "Conv" && node.op_type != "Gemm" && node.op_type != "MatMul") return false;
    if (keep_float_.count(node.name) || node.inputs.size() < 2) return false;
    if (!is_float_activation(node.inputs[0])) return false;
    auto weight = graph_.initializers.find(node.inputs[1]);
    if (weight == graph_.initializers.end() || weight->second.dtype() != DType::f32) return false;
    if (graph_.input(node.inputs[1]) || readers_of(node.inputs[1]).size() != 1) return false;
    if (node.op_type == "MatMul" && weight->second.rank() < 2) return false;
    return true;
  }

  // The value the quantized op's result is read from: its sole Relu/LeakyRelu's output, if any.
  std::string output_after_activation(const Node& node) {
    const std::string& y = node.outputs.at(0);
    const auto& readers = readers_of(y);
    const bool is_output =
        std::any_of(graph_.outputs.begin(), graph_.outputs.end(), [&](const ValueInfo& v) { return v.name == y; });
    if (readers.size() == 1 && is_activation_function(*readers[0]) && !is_output) return readers[0]->outputs.at(0);
    return y;
  }

  void close_over_scale_preserving_ops() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const Node& node : graph_.nodes) {
        if (!is_scale_preserving(node)) continue;
        std::vector<std::string> members;
        for (const std::string& in : data_inputs(node))
          if (is_float_activation(in)) members.push_back(in);
        if (!is_float_activation(node.outputs.at(0)) || members.size() != data_inputs(node).size()) continue;
        members.push_back(node.outputs[0]);
        const bool any = std::any_of(members.begin(), members.end(), [&](const auto& m) { return chosen_.count(m); });
        if (!any) continue;
        for (const std::string& m : members) {
          changed |= chosen_.insert(m).second;
          unite(m, members.front());
        }
      }
    }
  }

  std::string root(const std::string& value) {
    auto it = parent_.find(value);
    if (it == parent_.end() || it->second == value) return value;
    return it->second = root(it->second);
  }
  void unite(const std::string& a, const std::string& b) {
    const std::string ra = root(a), rb = root(b);
    if (ra != rb) parent_[ra] = rb;
  }

  // Groups in the order their first member appears (graph inputs, then node outputs).
  std::vector<std::vector<std::string>> groups() {
    std::vector<std::string> order;
    for (const ValueInfo& in : graph_.inputs) order.push_back(in.name);
    for (const Node& node : graph_.nodes)
      for (const std::string& out : node.outputs) order.push_back(out);
    std::map<std::string, size_t> index;
    std::vector<std::vector<std::string>> result;
    for (const std::string& value : order) {
      if (!chosen_.count(value)) continue;
      auto [it, fresh] = index.emplace(root(value), result.size());
      if (fresh) result.emplace_back();
      result[it->second].push_back(value);
    }
    return result;
  }

  const Graph& graph_;
  const std::set<std::string>& keep_float_;
  GraphShapes shapes_;
  std::map<std::string, std::vector<const Node*>> readers_;
  std::set<std::string> chosen_;
  std::map<std::string, std::string> parent_;
};

}  // namespace

// The stored dtype of a constant weight that is not f32: an initializer of its own, or one behind a
// Cast (an fp16 or bf16 model stores its weights so); nothing otherwise.
std::optional<DType> narrow_weight(const Graph& graph, const std::string& weight) {
  const std::string* stored = &weight;
  if (const Node* cast = graph.producer(weight); cast && cast->op_type == "Cast" && !cast->inputs.empty())
    stored = &cast->inputs[0];
  if (!graph.is_initializer(*stored) || graph.initializers.at(*stored).dtype() == DType::f32) return std::nullopt;
  return graph.initializers.at(*stored).dtype();
}

// Refuses a model whose Conv, Gemm or MatMul weights are stored narrow, naming the first.
void check_not_narrow(const Graph& graph) {
  for (const Node& node : graph.nodes)
    if ((node.op_type == "Conv" || node.op_type == "Gemm" || node.op_type == "MatMul") && node.inputs.size() > 1)
      if (const auto dtype = narrow_weight(graph, node.inputs[1]))
        fail(
            "nothing to quantize: the weight of '{}' is stored as {}, and int8 starts from an f32 model (quantize "
            "the f32 one)",
            node.name, dtype_name(*dtype));
}

QdqSelection select_qdq(const Graph& graph, const std::set<std::string>& keep_float) {
  QdqSelection selection = Selector(graph, keep_float).select();
  if (selection.nodes.empty() && keep_float.empty()) check_not_narrow(graph);
  if (selection.nodes.empty())
    fail("nothing to quantize: the model has no Conv, Gemm or MatMul with a constant weight{}",
         keep_float.empty() ? "" : " left in int8");
  return selection;
}

}  // namespace stride::quant
