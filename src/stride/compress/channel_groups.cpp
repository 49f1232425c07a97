#include "stride/compress/channel_groups.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "stride/ir/ops/reduce_ops.h"
#include "stride/ir/shape_inference.h"

namespace stride::compress {

int64_t AxisLayout::channels() const {
  int64_t total = 0;
  for (const Segment& s : segments) total += s.channels;
  return total;
}

std::vector<const TensorAxis*> ChannelGroups::filters_of(int group) const {
  std::vector<const TensorAxis*> found;
  for (const TensorAxis& slice : slices)
    if (slice.role == SliceRole::filter && slice.layout.segments.front().group == group) found.push_back(&slice);
  return found;
}

namespace {

// Ops that act on each element alone: channels pass through unchanged.
const std::set<std::string> kUnaryOps = {"Relu",  "LeakyRelu", "Sigmoid",  "Tanh",      "Clip",        "Exp",
                                         "Log",   "Dropout",   "Identity", "Abs",       "Neg",         "Sqrt",
                                         "Elu",   "Selu",      "Softplus", "Erf",       "HardSigmoid", "HardSwish",
                                         "Floor", "Ceil",      "Round",    "Reciprocal"};
// Broadcasting ops whose inputs meet element by element: channels on one axis are joined.
const std::set<std::string> kElementwiseOps = {"Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean", "PRelu", "Pow"};
const std::set<std::string> kPoolOps = {"MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool"};
const std::set<std::string> kReduceOps = {"ReduceMax", "ReduceMin",       "ReduceMean", "ReduceSum",      "ReduceL1",
                                          "ReduceL2",  "ReduceLogSumExp", "ReduceProd", "ReduceSumSquare"};
// Ops that keep the elements' order and change only the shape.
const std::set<std::string> kViewOps = {"Reshape", "Flatten", "Squeeze", "Unsqueeze"};

int64_t product(const Shape& shape, size_t from) {
  int64_t p = 1;
  for (size_t i = from; i < shape.size(); ++i) p *= shape[i];
  return p;
}

struct Carried {
  int axis = 0;
  AxisLayout layout;
};

class Analysis {
 public:
  explicit Analysis(const Graph& graph) : graph_(graph), shapes_(infer_shapes(graph, analysis_shapes(graph))) {}

  ChannelGroups run() {
    const Graph ordered = sorted(graph_);
    for (const Node& node : ordered.nodes) visit(node);
    for (const ValueInfo& output : graph_.outputs)
      if (const Carried* c = carried(output.name))
        block(c->layout, fmt::format("its channels reach the model output '{}'", output.name));
    check_shared_initializers(ordered);
    return compact();
  }

 private:
  static std::map<std::string, Shape> analysis_shapes(const Graph& graph) {
    std::map<std::string, Shape> shapes;
    for (const ValueInfo& input : graph.inputs) {
      Shape shape = input.shape;
      for (int64_t& d : shape)
        if (d < 0) d = 2;
      shapes[input.name] = shape;
    }
    return shapes;
  }

  const Shape& shape(const std::string& value) const { return shapes_.at(value).shape; }
  const Carried* carried(const std::string& value) const {
    auto it = carried_.find(value);
    return it == carried_.end() ? nullptr : &it->second;
  }
  bool is_weight(const std::string& value) const { return graph_.is_initializer(value); }

  int find(int g) {
    while (parent_[g] != g) g = parent_[g] = parent_[parent_[g]];
    return g;
  }

  int new_group(const Node& producer, int64_t channels, bool dense) {
    const int id = static_cast<int>(groups_.size());
    ChannelGroup group;
    group.id = id;
    group.channels = channels;
    group.producers = {producer.name};
    group.dense = dense;
    groups_.push_back(group);
    parent_.push_back(id);
    return id;
  }

  static AxisLayout whole(int group, int64_t channels) { return {.segments = {{group, channels}}}; }

  void block(const AxisLayout& layout, const std::string& reason) {
    for (const Segment& s : layout.segments)
      if (s.group != kFixedChannels && groups_[s.group].blocked.empty()) groups_[s.group].blocked = reason;
  }
  // Blocks every channel-carrying input of `node` except those listed.
  void block_inputs(const Node& node, const std::string& reason, std::set<size_t> allowed = {}) {
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (!allowed.count(i))
        if (const Carried* c = carried(node.inputs[i])) block(c->layout, reason);
  }
  std::string not_understood(const Node& node, const std::string& why) const {
    return fmt::format("node '{}' ({}) {}", node.name, node.op_type, why);
  }

  // Makes the channels of two layouts on one axis the same channels; blocks them when their
  // structure differs. Returns false in that case.
  bool unify(const AxisLayout& a, const AxisLayout& b, const Node& node) {
    if (a.outer != b.outer || a.inner != b.inner || a.segments.size() != b.segments.size() ||
        !std::equal(a.segments.begin(), a.segments.end(), b.segments.begin(),
                    [](const Segment& x, const Segment& y) { return x.channels == y.channels; })) {
      const std::string reason = not_understood(node, "joins channel layouts that do not match");
      block(a, reason);
      block(b, reason);
      return false;
    }
    for (size_t i = 0; i < a.segments.size(); ++i) {
      const int ga = a.segments[i].group, gb = b.segments[i].group;
      if (ga == kFixedChannels && gb == kFixedChannels) continue;
      if (ga == kFixedChannels || gb == kFixedChannels) {
        const std::string reason = not_understood(node, "joins them with channels that cannot be removed");
        block({.segments = {a.segments[i]}}, reason);
        block({.segments = {b.segments[i]}}, reason);
        continue;
      }
      const int ra = find(ga), rb = find(gb);
      if (ra != rb) parent_[rb] = ra;
    }
    return true;
  }

  void slice(const Node& node, const std::string& tensor, int axis, const AxisLayout& layout, SliceRole role) {
    slices_.push_back({node.name, tensor, axis, layout, role});
  }

  void produce(const std::string& output_value, int axis, const AxisLayout& layout) {
    carried_[output_value] = {axis, layout};
  }

  void visit(const Node& node) {
    const std::string& op = node.op_type;
    if (op == "Conv") return conv(node);
    if (op == "Gemm") return gemm(node);
    if (op == "MatMul") return matmul(node);
    const bool any = std::any_of(node.inputs.begin(), node.inputs.end(),
                                 [&](const std::string& v) { return carried(v) != nullptr; });
    if (!any) return;
    if (kUnaryOps.count(op)) return pass_first(node);
    if (op == "Softmax" || op == "LogSoftmax") return softmax(node);
    if (op == "BatchNormalization") return batch_norm(node);
    if (kPoolOps.count(op)) return pool(node);
    if (kElementwiseOps.count(op)) return elementwise(node);
    if (op == "Concat") return concat(node);
    if (kViewOps.count(op)) return view(node);
    if (op == "Transpose") return transpose(node);
    if (kReduceOps.count(op)) return reduce(node);
    block_inputs(node, not_understood(node, "is not understood by the channel analysis"));
  }

  // Output 0 carries input 0's channels where they were; any other output stops them.
  void pass_first(const Node& node) {
    block_inputs(node, not_understood(node, "reads channels through a secondary input"), {0});
    const Carried* in = carried(node.inputs[0]);
    if (!in) return;
    for (size_t i = 1; i < node.outputs.size(); ++i)
      if (!node.outputs[i].empty()) {
        block(in->layout, not_understood(node, "has a secondary output that depends on channel positions"));
        return;
      }
    produce(node.outputs[0], in->axis, in->layout);
  }

  void softmax(const Node& node) {
    const Carried* in = carried(node.inputs[0]);
    const size_t axis = ops::softmax_axis(node, shape(node.inputs[0]).size());
    if (in && static_cast<int>(axis) == in->axis) {
      block(in->layout, not_understood(node, "normalises over the channels"));
      return;
    }
    pass_first(node);
  }

  void batch_norm(const Node& node) {
    const Carried* in = carried(node.inputs[0]);
    if (!in || in->axis != 1) {
      block_inputs(node, not_understood(node, "normalises channels that are not on axis 1"));
      return;
    }
    for (size_t i = 1; i < node.inputs.size() && i < 5; ++i) {
      if (!is_weight(node.inputs[i])) {
        block_inputs(node, not_understood(node, "has parameters computed at run time"));
        return;
      }
      slice(node, node.inputs[i], 0, in->layout, SliceRole::output);
    }
    pass_first(node);
  }

  void pool(const Node& node) {
    const Carried* in = carried(node.inputs[0]);
    if (!in || in->axis != 1) {
      block_inputs(node, not_understood(node, "pools over the channel axis"));
      return;
    }
    pass_first(node);
  }

  // Broadcasting: every input's axes align to the right of the output's.
  void elementwise(const Node& node) {
    const Shape& out = shape(node.outputs[0]);
    const int rank = static_cast<int>(out.size());
    std::optional<Carried> joined;
    for (const std::string& input : node.inputs) {
      const Carried* c = carried(input);
      if (!c) continue;
      const int axis = c->axis + rank - static_cast<int>(shape(input).size());
      if (!joined) {
        joined = Carried{axis, c->layout};
      } else if (axis != joined->axis) {
        block_inputs(node, not_understood(node, "joins channels on different axes"));
        return;
      } else if (!unify(joined->layout, c->layout, node)) {
        return;
      }
    }
    if (out[joined->axis] != joined->layout.size()) {
      block_inputs(node, not_understood(node, "broadcasts the channels"));
      return;
    }
    for (const std::string& input : node.inputs) {
      if (input.empty() || carried(input)) continue;
      const Shape& s = shape(input);
      const int axis = joined->axis - (rank - static_cast<int>(s.size()));
      if (axis < 0 || s[axis] == 1) continue;
      if (!is_weight(input)) {
        block(joined->layout, not_understood(node, fmt::format("joins them with run-time values '{}'", input)));
        return;
      }
      slice(node, input, axis, joined->layout, SliceRole::output);
    }
    produce(node.outputs[0], joined->axis, joined->layout);
  }

  void concat(const Node& node) {
    const Shape& out = shape(node.outputs[0]);
    int64_t axis = node.attrs.get_int("axis");
    if (axis < 0) axis += static_cast<int64_t>(out.size());
    std::optional<int> carried_axis;
    for (const std::string& input : node.inputs)
      if (const Carried* c = carried(input)) {
        if (carried_axis && *carried_axis != c->axis) {
          block_inputs(node, not_understood(node, "concatenates channels on different axes"));
          return;
        }
        carried_axis = c->axis;
      }
    if (*carried_axis == axis) return concat_channels(node, *carried_axis);
    elementwise_concat(node, *carried_axis);
  }

  // Concatenation along the channel axis: the output's channels are the inputs' in order, those of
  // inputs without a group fixed.
  void concat_channels(const Node& node, int axis) {
    std::optional<int64_t> inner;
    for (const std::string& input : node.inputs)
      if (const Carried* c = carried(input)) {
        if (c->layout.outer != 1 || (inner && *inner != c->layout.inner)) {
          block_inputs(node, not_understood(node, "concatenates interleaved channel layouts"));
          return;
        }
        inner = c->layout.inner;
      }
    AxisLayout layout{.outer = 1, .inner = *inner, .segments = {}};
    for (const std::string& input : node.inputs) {
      if (const Carried* c = carried(input)) {
        layout.segments.insert(layout.segments.end(), c->layout.segments.begin(), c->layout.segments.end());
        continue;
      }
      const int64_t size = shape(input)[axis];
      if (size % *inner != 0) {
        block_inputs(node, not_understood(node, "concatenates inputs whose sizes do not divide into channels"));
        return;
      }
      layout.segments.push_back({kFixedChannels, size / *inner});
    }
    produce(node.outputs[0], axis, layout);
  }

  // Concatenation along another axis: every input holds the same channels, as for Add.
  void elementwise_concat(const Node& node, int axis) {
    std::optional<AxisLayout> joined;
    for (const std::string& input : node.inputs)
      if (const Carried* c = carried(input)) {
        if (!joined)
          joined = c->layout;
        else if (!unify(*joined, c->layout, node))
          return;
      }
    for (const std::string& input : node.inputs) {
      if (carried(input)) continue;
      if (!is_weight(input)) {
        block(*joined, not_understood(node, fmt::format("joins them with run-time values '{}'", input)));
        return;
      }
      slice(node, input, axis, *joined, SliceRole::output);
    }
    produce(node.outputs[0], axis, *joined);
  }

  // Reshape, Flatten, Squeeze, Unsqueeze keep the elements' row-major order. Channel c covers the
  // flat indices e with (e / unit) mod C == c, unit = (elements after the channel axis) × inner.
  // In the output, axis b carries them when its stride divides the unit and its extent spans whole
  // periods of C units.
  void view(const Node& node) {
    block_inputs(node, not_understood(node, "takes its shape from channel-carrying values"), {0});
    const Carried* in = carried(node.inputs[0]);
    if (!in) return;
    if (node.op_type == "Squeeze" && node.inputs.size() < 2 && !node.attrs.has("axes")) {
      block(in->layout, not_understood(node, "squeezes every axis of size 1, which pruning can change"));
      return;
    }
    const Shape& in_shape = shape(node.inputs[0]);
    const Shape& out = shape(node.outputs[0]);
    const int64_t unit = product(in_shape, in->axis + 1) * in->layout.inner;
    const int64_t period = unit * in->layout.channels();
    for (size_t b = 0; b < out.size(); ++b) {
      const int64_t stride = product(out, b + 1);
      if (unit % stride != 0 || (out[b] * stride) % period != 0) continue;
      const AxisLayout layout{
          .outer = out[b] * stride / period, .inner = unit / stride, .segments = in->layout.segments};
      if (node.op_type == "Reshape" && !record_shape_edit(node, static_cast<int>(b), *in, layout)) return;
      produce(node.outputs[0], static_cast<int>(b), layout);
      return;
    }
    block(in->layout, not_understood(node, "spreads each channel over several axes"));
  }

  bool record_shape_edit(const Node& node, int entry, const Carried& in, const AxisLayout& layout) {
    if (!is_weight(node.inputs[1])) {
      block(in.layout, not_understood(node, "has a target shape computed at run time"));
      return false;
    }
    const std::vector<int64_t> target = graph_.initializers.at(node.inputs[1]).to_int64_vector();
    if (target.at(entry) == 0 && !(in.axis == entry && in.layout == layout)) {
      block(in.layout, not_understood(node, "copies a dimension (0) that pruning would change"));
      return false;
    }
    if (target.at(entry) > 0) shape_edits_.push_back({node.name, entry, layout});
    return true;
  }

  void transpose(const Node& node) {
    const Carried* in = carried(node.inputs[0]);
    const int rank = static_cast<int>(shape(node.inputs[0]).size());
    std::vector<int64_t> perm(rank);
    std::iota(perm.rbegin(), perm.rend(), 0);
    perm = node.attrs.get_ints("perm", perm);
    const auto it = std::find(perm.begin(), perm.end(), in->axis);
    produce(node.outputs[0], static_cast<int>(it - perm.begin()), in->layout);
  }

  void reduce(const Node& node) {
    block_inputs(node, not_understood(node, "takes its axes from channel-carrying values"), {0});
    const Carried* in = carried(node.inputs[0]);
    if (!in) return;
    const Tensor* axes = nullptr;
    if (node.inputs.size() > 1 && !node.inputs[1].empty()) {
      auto it = graph_.initializers.find(node.inputs[1]);
      if (it == graph_.initializers.end()) {
        block(in->layout, not_understood(node, "has axes computed at run time"));
        return;
      }
      axes = &it->second;
    }
    const std::vector<bool> reduced = ops::reduced_axes(node, axes, shape(node.inputs[0]).size());
    if (reduced[in->axis]) {
      block(in->layout, not_understood(node, "reduces over the channels"));
      return;
    }
    int axis = in->axis;
    if (node.attrs.get_int("keepdims", 1) == 0)
      axis -= static_cast<int>(std::count(reduced.begin(), reduced.begin() + axis, true));
    produce(node.outputs[0], axis, in->layout);
  }

  // Conv: input channels on axis 1 are read by weight axis 1; its filters make a new group. A
  // depthwise convolution (one input channel per group) keeps its input's channels, each with
  // `multiplier` consecutive outputs.
  void conv(const Node& node) {
    block_inputs(node, not_understood(node, "has weights computed at run time"), {0});
    const Carried* in = carried(node.inputs[0]);
    if (in && in->axis != 1) {
      block(in->layout, not_understood(node, "convolves a value whose channels are not on axis 1"));
      return;
    }
    const std::string& weight = node.inputs[1];
    if (!is_weight(weight)) {
      if (in) block(in->layout, not_understood(node, "has weights computed at run time"));
      return;
    }
    const Shape& w = graph_.initializers.at(weight).shape();
    const int64_t groups = node.attrs.get_int("group", 1);
    const std::string bias = node.inputs.size() > 2 && is_weight(node.inputs[2]) ? node.inputs[2] : "";
    if (groups > 1 && w[1] == 1) return depthwise_conv(node, in, w[0] / groups, bias);
    if (groups > 1 && in) grouped_inputs(node, *in, groups);
    if (groups == 1 && in) slice(node, weight, 1, in->layout, SliceRole::input);
    const int g = new_group(node, w[0], false);
    groups_[g].runs = groups;
    const AxisLayout layout = whole(g, w[0]);
    slice(node, weight, 0, layout, SliceRole::filter);
    if (!bias.empty()) slice(node, bias, 0, layout, SliceRole::output);
    produce(node.outputs[0], 1, layout);
  }

  void depthwise_conv(const Node& node, const Carried* in, int64_t multiplier, const std::string& bias) {
    if (!in) return;  // a depthwise convolution of fixed channels: its filters stay
    AxisLayout layout = in->layout;
    layout.inner *= multiplier;
    slice(node, node.inputs[1], 0, layout, SliceRole::output);
    if (!bias.empty()) slice(node, bias, 0, layout, SliceRole::output);
    group_attr_edits_.push_back({node.name, in->layout});
    produce(node.outputs[0], 1, layout);
  }

  // A grouped convolution's input: run j of its filters reads run j of the channels, so the group
  // they belong to keeps equally many in every run. Only the channels of one layer, one position
  // each, are followed into the runs.
  void grouped_inputs(const Node& node, const Carried& in, int64_t groups) {
    const AxisLayout& layout = in.layout;
    if (layout.outer != 1 || layout.inner != 1 || layout.segments.size() != 1 ||
        layout.segments.front().group == kFixedChannels) {
      block(layout, not_understood(node, fmt::format("is a grouped convolution ({} groups) over the channels of "
                                                     "several layers or spread positions",
                                                     groups)));
      return;
    }
    int64_t& runs = groups_[layout.segments.front().group].runs;
    runs = std::lcm(runs, groups);
    TensorAxis& weights = slices_.emplace_back(TensorAxis{node.name, node.inputs[1], 1, layout, SliceRole::input});
    weights.runs = groups;
  }

  // The output neurons of a dense layer with constant weights make a new group.
  void dense_outputs(const Node& node, const std::string& weight, int axis, int out_axis) {
    const int64_t neurons = graph_.initializers.at(weight).shape()[axis];
    const int g = new_group(node, neurons, true);
    const AxisLayout layout = whole(g, neurons);
    slice(node, weight, axis, layout, SliceRole::filter);
    produce(node.outputs[0], out_axis, layout);
  }

  void gemm(const Node& node) {
    block_inputs(node, not_understood(node, "multiplies by run-time values"), {0});
    const Carried* in = carried(node.inputs[0]);
    if (!is_weight(node.inputs[1])) {
      if (in) block(in->layout, not_understood(node, "multiplies by run-time values"));
      return;
    }
    const bool trans_b = node.attrs.get_int("transB", 0) != 0;
    if (in) {
      if (in->axis != (node.attrs.get_int("transA", 0) != 0 ? 0 : 1)) {
        block(in->layout, not_understood(node, "carries channels on its batch axis"));
        return;
      }
      slice(node, node.inputs[1], trans_b ? 1 : 0, in->layout, SliceRole::input);
    }
    dense_outputs(node, node.inputs[1], trans_b ? 0 : 1, 1);
    if (node.inputs.size() > 2 && !node.inputs[2].empty()) {
      const Carried& out = carried_.at(node.outputs[0]);
      const Shape& c = shape(node.inputs[2]);
      if (c.empty() || c.back() == 1) return;
      if (!is_weight(node.inputs[2])) {
        block(out.layout, not_understood(node, "adds a run-time bias"));
        return;
      }
      slice(node, node.inputs[2], static_cast<int>(c.size()) - 1, out.layout, SliceRole::output);
    }
  }

  void matmul(const Node& node) {
    const Carried* in = carried(node.inputs[0]);
    if (carried(node.inputs[1]) || !is_weight(node.inputs[1])) {
      block_inputs(node, not_understood(node, "multiplies by run-time values"));
      return;
    }
    const Shape& a = shape(node.inputs[0]);
    const Shape& b = graph_.initializers.at(node.inputs[1]).shape();
    const int rank_a = static_cast<int>(a.size()), rank_b = static_cast<int>(b.size());
    const int rank_out = static_cast<int>(shape(node.outputs[0]).size());
    if (rank_b < 2 || rank_a < 2) {
      if (in) block(in->layout, not_understood(node, "multiplies by a vector"));
      return;
    }
    if (in && in->axis != rank_a - 1) {
      if (in->axis == rank_a - 2) {  // rows pass through
        produce(node.outputs[0], rank_out - 2, in->layout);
        return;
      }
      block(in->layout, not_understood(node, "carries channels on a batch axis of the product"));
      return;
    }
    if (in) slice(node, node.inputs[1], rank_b - 2, in->layout, SliceRole::input);
    dense_outputs(node, node.inputs[1], rank_b - 1, rank_out - 1);
  }

  // A sliced initializer must be sliced the same way for every node that reads it.
  void check_shared_initializers(const Graph& ordered) {
    std::map<std::string, std::set<std::string>> readers;
    for (const Node& node : ordered.nodes)
      for (const std::string& input : node.inputs)
        if (is_weight(input)) readers[input].insert(node.name);
    std::map<std::string, std::set<std::string>> slicing;
    for (const TensorAxis& s : slices_) slicing[s.tensor].insert(s.node);
    for (const auto& [tensor, nodes] : slicing) {
      if (nodes.size() == 1 && readers[tensor] == nodes) continue;
      const std::string reason = fmt::format("its weights '{}' are shared by several nodes", tensor);
      for (const TensorAxis& s : slices_)
        if (s.tensor == tensor) block(s.layout, reason);
    }
  }

  // Merges joined groups, renumbers them densely and rewrites every layout with the new numbers.
  ChannelGroups compact() {
    std::map<int, int> number;  // root → new id
    ChannelGroups result;
    for (size_t g = 0; g < groups_.size(); ++g) {
      const int root = find(static_cast<int>(g));
      auto [it, inserted] = number.try_emplace(root, static_cast<int>(result.groups.size()));
      if (inserted) {
        ChannelGroup merged = groups_[root];
        merged.id = it->second;
        merged.producers.clear();
        merged.blocked.clear();
        merged.dense = true;
        merged.runs = 1;
        result.groups.push_back(merged);
      }
      ChannelGroup& merged = result.groups[it->second];
      const ChannelGroup& member = groups_[g];
      merged.producers.insert(merged.producers.end(), member.producers.begin(), member.producers.end());
      merged.dense = merged.dense && member.dense;
      merged.runs = std::lcm(merged.runs, member.runs);
      if (merged.blocked.empty()) merged.blocked = member.blocked;
    }
    auto renumber = [&](AxisLayout& layout) {
      for (Segment& s : layout.segments)
        if (s.group != kFixedChannels) s.group = number.at(find(s.group));
    };
    result.slices = slices_;
    for (TensorAxis& s : result.slices) renumber(s.layout);
    result.shape_edits = shape_edits_;
    for (ShapeEdit& e : result.shape_edits) renumber(e.layout);
    result.group_attr_edits = group_attr_edits_;
    for (GroupAttrEdit& e : result.group_attr_edits) renumber(e.layout);
    return result;
  }

  const Graph& graph_;
  GraphShapes shapes_;
  std::map<std::string, Carried> carried_;
  std::vector<ChannelGroup> groups_;
  std::vector<int> parent_;
  std::vector<TensorAxis> slices_;
  std::vector<ShapeEdit> shape_edits_;
  std::vector<GroupAttrEdit> group_attr_edits_;
};

}  // namespace

ChannelGroups find_channel_groups(const Graph& graph) { return Analysis(graph).run(); }

}  // namespace stride::compress
