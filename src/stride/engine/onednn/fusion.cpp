#include "stride/engine/onednn/fusion.h"

#include <algorithm>
#include <set>

#include "stride/engine/onednn/eltwise_ops.h"
#include "stride/engine/onednn/graph_constants.h"

namespace stride::onednn {
namespace {

#if defined(__aarch64__)
constexpr bool kArm64 = true;
#else
constexpr bool kArm64 = false;
#endif

// MatMul with a 1-D operand drops a dimension from its result, so its channels are not the last axis.
bool is_anchor(const Node& node, const GraphShapes& shapes) {
  if (node.op_type == "MatMul")
    return node.inputs.size() == 2 && shapes.at(node.inputs[0]).shape.size() >= 2 &&
           shapes.at(node.inputs[1]).shape.size() >= 2;
  return node.op_type == "Conv" || node.op_type == "Gemm";
}

// True when `c` broadcasts onto `out` along `axis` only (or is a single value).
bool broadcasts_per_channel(const Shape& c, const Shape& out, size_t axis) {
  if (c.size() > out.size()) return false;
  const size_t lead = out.size() - c.size();
  for (size_t i = 0; i < c.size(); ++i)
    if (c[i] != 1 && !(lead + i == axis && c[i] == out[axis])) return false;
  return true;
}

bool only_first_output_used(const Node& node) {
  return std::all_of(node.outputs.begin() + 1, node.outputs.end(), [](const std::string& o) { return o.empty(); });
}

// Ops that only move, drop or relabel values: on int8 bytes they give exactly the int8 bytes of their
// f32 result, so `DequantizeLinear → op → QuantizeLinear` of one scale is the op on the int8 tensor.
bool preserves_quantization(const std::string& op_type) {
  for (const char* op : {"MaxPool", "ReduceMax", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat"})
    if (op_type == op) return true;
  return false;
}

// Activations that commute with a positive scale, so they may run after the requantization scale.
bool scale_invariant(const std::string& op_type) { return op_type == "Relu" || op_type == "LeakyRelu"; }

class Fuser {
 public:
  Fuser(const Graph& graph, const GraphShapes& shapes, const QdqPatterns& qdq) : graph_(graph), shapes_(shapes), qdq_(qdq) {
    for (size_t i = 0; i < graph.nodes.size(); ++i)
      for (const auto& in : graph.nodes[i].inputs)
        if (!in.empty()) readers_[in].push_back(i);
    for (const auto& o : graph.outputs) graph_outputs_.insert(o.name);
  }

  std::vector<FusedGroup> run() {
    std::vector<bool> absorbed(graph_.nodes.size(), false);
    std::vector<std::pair<size_t, FusedGroup>> placed;  // (index of the group's last node, group)
    for (size_t i = 0; i < graph_.nodes.size(); ++i) {
      if (absorbed[i]) continue;
      FusedGroup group{&graph_.nodes[i], {}};
      size_t last = i;
      if (is_anchor(*group.anchor, shapes_)) {
        while (auto next = absorb_next(group, absorbed)) {
          last = *next;
          absorbed[last] = true;
        }
        group.int8 = int8_anchor(group);
      } else {
        group.int8 = int8_passthrough(group);
      }
      // With a sum the destination holds the f32 addend: the result stays f32.
      if (group.int8 && !group.sum_operand())
        if (auto q = absorb_requantize(group, absorbed)) {
          last = *q;
          absorbed[last] = true;
        }
      placed.emplace_back(last, std::move(group));
    }
    std::stable_sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<FusedGroup> groups;
    for (auto& [last, group] : placed) groups.push_back(std::move(group));
    elide_dequantize(groups);
    return groups;
  }

 private:
  // The single reader of `value`, when it is not a graph output.
  const Node* single_reader(const std::string& value) const {
    auto it = readers_.find(value);
    if (graph_outputs_.count(value) || it == readers_.end() || it->second.size() != 1) return nullptr;
    return &graph_.nodes[it->second.front()];
  }

  // Conv, Gemm or MatMul reading int8 data and s8 weights, with nothing fused that int8 kernels lack.
  bool int8_anchor(const FusedGroup& group) const {
    const Node& anchor = *group.anchor;
    if (anchor.op_type == "Gemm" && anchor.attrs.get_int("transA", 0) != 0) return false;
    if (!qdq_.dequantized(anchor.inputs.at(0)) || !qdq_.quantized_constant(anchor.inputs.at(1))) return false;
    // A sum (GaitSet's MGP add, a residual) is added to the f32 result after the output scale —
    // except on arm64, where Debian's oneDNN has only its reference int8 convolution
    // (gemm_s8s8s32:ref), which adds a sum after an activation wrongly (off by about the sum operand;
    // tests/onednn/int8_test.cpp under qemu): there such a group stays f32, where the sum is right.
    return std::all_of(group.fused.begin(), group.fused.end(), [](const FusedNode& f) {
      return f.role == FusedRole::bias_add || (f.role == FusedRole::sum && !kArm64) ||
             (f.role == FusedRole::activation && scale_invariant(f.node->op_type));
    });
  }

  // An op that preserves quantization, reading int8 data (every input of a Concat, with one scale)
  // and read only by a QuantizeLinear of that same scale.
  bool int8_passthrough(const FusedGroup& group) const {
    const Node& op = *group.anchor;
    if (!preserves_quantization(op.op_type)) return false;
    const size_t data_inputs = op.op_type == "Concat" ? op.inputs.size() : 1;
    std::optional<QuantParams> params;
    for (size_t i = 0; i < data_inputs; ++i) {
      const auto dq = qdq_.dequantized(op.inputs[i]);
      if (!dq || (params && !(*params == dq->params))) return false;
      params = dq->params;
    }
    const Node* reader = single_reader(op.outputs.at(0));
    const auto q = reader ? qdq_.quantize_params(*reader) : std::nullopt;
    return q && *q == *params;
  }

  std::optional<size_t> absorb_requantize(FusedGroup& group, const std::vector<bool>& absorbed) const {
    const Node* reader = single_reader(group.output());
    if (!reader || !qdq_.quantize_params(*reader)) return std::nullopt;
    const size_t index = static_cast<size_t>(reader - graph_.nodes.data());
    if (absorbed[index]) return std::nullopt;
    group.fused.push_back({reader, FusedRole::requantize, {}});
    return index;
  }

  // Marks the DequantizeLinear groups of run-time values that only int8 groups read, as data.
  void elide_dequantize(std::vector<FusedGroup>& groups) const {
    std::map<const Node*, const FusedGroup*> group_of_anchor;
    for (const auto& g : groups) group_of_anchor[g.anchor] = &g;
    for (auto& g : groups) {
      if (g.anchor->op_type != "DequantizeLinear" || !qdq_.dequantized(g.output())) continue;
      auto it = readers_.find(g.output());
      if (graph_outputs_.count(g.output()) || it == readers_.end()) continue;
      g.elided = std::all_of(it->second.begin(), it->second.end(), [&](size_t index) {
        const Node& reader = graph_.nodes[index];
        auto group = group_of_anchor.find(&reader);
        if (group == group_of_anchor.end() || !group->second->int8) return false;
        // Conv, Gemm and MatMul read int8 data on input #0 only (#1 is their weights).
        return reader.op_type == "Concat" || reader.inputs.size() < 2 || reader.inputs[1] != g.output();
      });
    }
  }

  // Adds the single reader of the group's output to the group when it can be fused; returns its index.
  std::optional<size_t> absorb_next(FusedGroup& group, const std::vector<bool>& absorbed) const {
    const std::string& tail = group.output();
    auto it = readers_.find(tail);
    if (graph_outputs_.count(tail) || it == readers_.end() || it->second.size() != 1) return std::nullopt;
    const size_t index = it->second.front();
    if (absorbed[index]) return std::nullopt;  // an Add already fused, as a sum, into the other operand's group
    const Node& next = graph_.nodes[index];
    if (next.outputs.empty() || next.outputs[0].empty() || !only_first_output_used(next)) return std::nullopt;
    if (shapes_.at(next.outputs[0]).shape != shapes_.at(tail).shape) return std::nullopt;

    const bool linear_stage = std::all_of(group.fused.begin(), group.fused.end(), [](const FusedNode& f) {
      return f.role == FusedRole::batch_norm || f.role == FusedRole::bias_add;
    });
    if (auto role = role_of(group, next, tail, linear_stage)) {
      group.fused.push_back({&next, role->first, role->second});
      return index;
    }
    return std::nullopt;
  }

  std::optional<std::pair<FusedRole, std::string>> role_of(const FusedGroup& group, const Node& next,
                                                           const std::string& tail, bool linear_stage) const {
    if (next.op_type == "BatchNormalization" && linear_stage && group.anchor->op_type == "Conv" &&
        next.attrs.get_int("training_mode", 0) == 0 && next.inputs.size() == 5 &&
        std::all_of(next.inputs.begin() + 1, next.inputs.end(),
                    [&](const std::string& in) { return find_constant(graph_, shapes_, in) != nullptr; }))
      return std::pair{FusedRole::batch_norm, std::string()};
    if (is_activation(next.op_type) && eltwise_op(next, graph_, shapes_))
      return std::pair{FusedRole::activation, std::string()};
    if (next.op_type != "Add" || next.inputs.size() != 2) return std::nullopt;

    const std::string& other = next.inputs[0] == tail ? next.inputs[1] : next.inputs[0];
    const Shape& out = shapes_.at(tail).shape;
    const Shape& other_shape = shapes_.at(other).shape;
    if (linear_stage && find_constant(graph_, shapes_, other) &&
        broadcasts_per_channel(other_shape, out, channel_axis(*group.anchor, out.size())))
      return std::pair{FusedRole::bias_add, other};
    if (other_shape == out && !group.sum_operand()) return std::pair{FusedRole::sum, other};
    return std::nullopt;
  }

  const Graph& graph_;
  const GraphShapes& shapes_;
  const QdqPatterns& qdq_;
  std::map<std::string, std::vector<size_t>> readers_;  // one entry per reading input slot
  std::set<std::string> graph_outputs_;
};

}  // namespace

const std::string& FusedGroup::output() const {
  const Node& last = fused.empty() ? *anchor : *fused.back().node;
  return last.outputs.at(0);
}

std::vector<std::string> FusedGroup::node_names() const {
  std::vector<std::string> names{anchor->name};
  for (const auto& f : fused) names.push_back(f.node->name);
  return names;
}

const Node* FusedGroup::requantize() const {
  for (const auto& f : fused)
    if (f.role == FusedRole::requantize) return f.node;
  return nullptr;
}

const std::string* FusedGroup::sum_operand() const {
  for (const auto& f : fused)
    if (f.role == FusedRole::sum) return &f.operand;
  return nullptr;
}

size_t channel_axis(const Node& anchor, size_t output_rank) {
  if (anchor.op_type == "MatMul") return output_rank == 0 ? 0 : output_rank - 1;
  return 1;
}

std::vector<FusedGroup> fuse_nodes(const Graph& graph, const GraphShapes& shapes, const QdqPatterns& qdq) {
  return Fuser(graph, shapes, qdq).run();
}

}  // namespace stride::onednn
