#include "stride/engine/onednn/fusion.h"

#include <algorithm>
#include <set>

#include "stride/engine/onednn/eltwise_ops.h"
#include "stride/engine/onednn/graph_constants.h"

namespace stride::onednn {
namespace {

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

class Fuser {
 public:
  Fuser(const Graph& graph, const GraphShapes& shapes) : graph_(graph), shapes_(shapes) {
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
      }
      placed.emplace_back(last, std::move(group));
    }
    std::stable_sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<FusedGroup> groups;
    for (auto& [last, group] : placed) groups.push_back(std::move(group));
    return groups;
  }

 private:
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

const std::string* FusedGroup::sum_operand() const {
  for (const auto& f : fused)
    if (f.role == FusedRole::sum) return &f.operand;
  return nullptr;
}

size_t channel_axis(const Node& anchor, size_t output_rank) {
  if (anchor.op_type == "MatMul") return output_rank == 0 ? 0 : output_rank - 1;
  return 1;
}

std::vector<FusedGroup> fuse_nodes(const Graph& graph, const GraphShapes& shapes) { return Fuser(graph, shapes).run(); }

}  // namespace stride::onednn
