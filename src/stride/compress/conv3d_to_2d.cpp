#include "stride/compress/conv3d_to_2d.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include "stride/compress/low_rank.h"
#include "stride/core/random.h"
#include "stride/core/usage_error.h"
#include "stride/ir/cost.h"
#include "stride/ir/fresh_names.h"
#include "stride/ir/ops/window_geometry.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

template <typename... Args>
[[noreturn]] void fail_at(const Node& node, fmt::format_string<Args...> format, Args&&... args) {
  fail("node '{}': {}", node.name, fmt::format(format, std::forward<Args>(args)...));
}

bool is_conv3d(const Node& node, const GraphShapes& shapes) {
  return node.op_type == "Conv" && node.inputs.size() >= 2 && shapes.at(node.inputs[1]).shape.size() == 5;
}

// One 3-D convolution, read and checked: its geometry, its operands and its weights.
struct Conv3d {
  const Node* node = nullptr;
  int64_t out_channels = 0, in_channels = 0;
  int64_t frames = 0, height = 0, width = 0;              // input T, H, W
  int64_t out_frames = 0, out_height = 0, out_width = 0;  // output T', H', W'
  WindowGeometry window;                                  // t, h, w
  const Tensor* weight = nullptr;                         // [Co, Ci, kt, kh, kw], f32
  std::string bias;                                       // value name; empty when absent

  int64_t kt() const { return window.kernel[0]; }
  int64_t kh() const { return window.kernel[1]; }
  int64_t kw() const { return window.kernel[2]; }
  // Time is a batch axis of a conv with a (1) temporal kernel, stride and no temporal padding.
  bool per_frame() const {
    return kt() == 1 && window.strides[0] == 1 && window.pads_begin[0] == 0 && window.pads_end[0] == 0;
  }
  int64_t full_rank() const { return std::min(out_channels * kt(), in_channels * kh() * kw()); }
};

// The 3-D dims that vary with the unknown dims of the graph inputs, found by inferring shapes
// twice: with the unknown dims as 1 (infer_shapes' own choice) and as 2.
std::set<std::string> values_with_unknown_dims(const Graph& graph, const GraphShapes& at_one,
                                               const std::vector<const Node*>& convs) {
  std::map<std::string, Shape> at_two;
  for (const ValueInfo& in : graph.inputs) {
    Shape shape = in.shape;
    bool unknown = false;
    for (int64_t& d : shape)
      if (d < 0) d = 2, unknown = true;
    if (unknown) at_two[in.name] = shape;
  }
  std::set<std::string> varying;
  if (at_two.empty()) return varying;
  GraphShapes other;
  try {
    other = infer_shapes(graph, at_two);
  } catch (const Error& e) {
    fail(
        "cannot tell whether the frames, height and width of the 3-D convolutions depend on the inputs' unknown "
        "dimensions: with them set to 2, {}",
        e.what());
  }
  for (const Node* node : convs)
    for (const std::string& value : {node->inputs[0], node->outputs[0]}) {
      const Shape& a = at_one.at(value).shape;
      const Shape& b = other.at(value).shape;
      if (!std::equal(a.begin() + 2, a.end(), b.begin() + 2, b.end())) varying.insert(value);
    }
  return varying;
}

Conv3d read_conv3d(const Graph& graph, const Node& node, const GraphShapes& shapes,
                   const std::set<std::string>& varying) {
  Conv3d c;
  c.node = &node;
  if (node.attrs.get_int("group", 1) != 1)
    fail_at(node, "a grouped 3-D convolution (group {}) cannot be converted; only group 1 is",
            node.attrs.get_int("group", 1));
  for (int64_t d : node.attrs.get_ints("dilations", {1, 1, 1}))
    if (d != 1)
      fail_at(node, "a dilated 3-D convolution (dilations {}) cannot be converted; only dilations 1 are",
              fmt::join(node.attrs.get_ints("dilations"), ","));
  const Shape& x = shapes.at(node.inputs[0]).shape;
  const Shape& y = shapes.at(node.outputs[0]).shape;
  if (shapes.at(node.inputs[0]).dtype != DType::f32) fail_at(node, "only f32 3-D convolutions can be converted");
  if (varying.count(node.inputs[0]) || varying.count(node.outputs[0]))
    fail_at(node,
            "the frames, height or width of this 3-D convolution ({} → {}) depend on an unknown input dimension; "
            "give the model's inputs fixed sizes",
            shape_str(x), shape_str(y));
  if (!graph.is_initializer(node.inputs[1]) || graph.initializers.at(node.inputs[1]).dtype() != DType::f32)
    fail_at(node, "the weight '{}' is not an f32 initializer (convert before quantizing)", node.inputs[1]);
  c.weight = &graph.initializers.at(node.inputs[1]);
  c.window = conv_window(node, x, c.weight->shape());
  c.out_channels = c.weight->dim(0);
  c.in_channels = c.weight->dim(1);
  c.frames = x[2], c.height = x[3], c.width = x[4];
  c.out_frames = y[2], c.out_height = y[3], c.out_width = y[4];
  if (node.inputs.size() > 2) c.bias = node.inputs[2];
  return c;
}

int64_t chosen_rank(const Conv3dTo2dOptions& options, const Conv3d& c) {
  if (options.init == Conv3dTo2dInit::fresh) return c.out_channels;
  const int64_t full = c.full_rank();
  if (options.rank) return std::min(*options.rank, full);
  if (options.rank_fraction)
    return std::clamp<int64_t>(static_cast<int64_t>(std::ceil(*options.rank_fraction * static_cast<double>(full))), 1,
                               full);
  return full;
}

void check_options(const Conv3dTo2dOptions& options) {
  const bool rank_given = options.rank || options.rank_fraction;
  if (options.init == Conv3dTo2dInit::fresh && rank_given)
    fail("a rank applies to the svd initialisation only (fresh weights use as many channels as the 3-D conv)");
  if (options.rank && options.rank_fraction) usage_fail("give a rank or a rank fraction, not both");
  if (options.rank && *options.rank < 1) fail("the rank must be at least 1, got {}", *options.rank);
  if (options.rank_fraction && !(*options.rank_fraction > 0 && *options.rank_fraction <= 1))
    usage_fail("--rank-fraction must be in (0, 1], got {}", *options.rank_fraction);
}

// Normal draws for fresh weights, by the Box–Muller transform on Stride's seeded generator.
class NormalDraws {
 public:
  explicit NormalDraws(uint64_t seed) : bits_(seed) {}
  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const double u1 = 1.0 - static_cast<double>(bits_.next_u64() >> 11) * 0x1.0p-53;
    const double u2 = static_cast<double>(bits_.next_u64() >> 11) * 0x1.0p-53;
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return radius * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  Random bits_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// He-normal: N(0, 2 / fan_in), fan_in being the inputs of one output element.
Tensor he_normal(Shape shape, NormalDraws& draws) {
  Tensor t(DType::f32, std::move(shape));
  const double stddev =
      std::sqrt(2.0 / static_cast<double>(shape_numel(Shape(t.shape().begin() + 1, t.shape().end()))));
  for (float& v : t.values<float>()) v = static_cast<float>(draws.next() * stddev);
  return t;
}

struct Weights {
  Tensor spatial;                  // [R, Ci, kh, kw]
  std::optional<Tensor> temporal;  // [Co, R, kt, 1]; none for a per-frame conv
  std::optional<double> relative_error;
};

// M[(o,t),(i,h,w)] = W[o,i,t,h,w] ≈ T·S: row (o,t) of M holds W[o,:,t,:,:].
Weights svd_weights(const Conv3d& c, int64_t rank) {
  const int64_t co = c.out_channels, ci = c.in_channels, kt = c.kt(), area = c.kh() * c.kw();
  const int64_t cols = ci * area;
  const auto w = c.weight->values<float>();
  std::vector<double> m(static_cast<size_t>(co * kt * cols));
  for (int64_t o = 0; o < co; ++o)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t t = 0; t < kt; ++t)
        for (int64_t k = 0; k < area; ++k)
          m[static_cast<size_t>((o * kt + t) * cols + i * area + k)] =
              w[static_cast<size_t>(((o * ci + i) * kt + t) * area + k)];
  const LowRankFactors f = truncate(svd(m, co * kt, cols), rank);

  Weights out{Tensor(DType::f32, {rank, ci, c.kh(), c.kw()}), Tensor(DType::f32, {co, rank, kt, 1}), f.relative_error};
  auto spatial = out.spatial.values<float>();
  for (size_t j = 0; j < spatial.size(); ++j) spatial[j] = static_cast<float>(f.right[j]);
  auto temporal = out.temporal->values<float>();
  for (int64_t o = 0; o < co; ++o)
    for (int64_t r = 0; r < rank; ++r)
      for (int64_t t = 0; t < kt; ++t)
        temporal[static_cast<size_t>((o * rank + r) * kt + t)] =
            static_cast<float>(f.left[static_cast<size_t>((o * kt + t) * rank + r)]);
  return out;
}

// Appends the nodes that replace one 3-D convolution; each node's output is named after the node,
// except the last, which produces the conv's own output value.
class Rewriter {
 public:
  Rewriter(std::vector<Node>& nodes, std::map<std::string, Tensor>& initializers, FreshNames& names, std::string base)
      : nodes_(nodes), initializers_(initializers), names_(names), base_(std::move(base)) {}

  std::string node(const std::string& suffix, const std::string& op, std::vector<std::string> inputs,
                   Attributes attrs = {}, std::string output = {}) {
    const std::string name = names_.fresh(base_ + "/" + suffix);
    if (output.empty()) output = name;
    nodes_.push_back({name, op, std::move(inputs), {output}, std::move(attrs)});
    added_.push_back(name);
    return output;
  }
  std::string initializer(const std::string& node_suffix, const std::string& what, Tensor value) {
    const std::string name = names_.fresh(base_ + "/" + node_suffix + "." + what);
    initializers_.emplace(name, std::move(value));
    return name;
  }
  std::string transpose(const std::string& suffix, const std::string& x, std::vector<int64_t> perm,
                        std::string output = {}) {
    Attributes a;
    a.set("perm", std::move(perm));
    return node(suffix, "Transpose", {x}, std::move(a), std::move(output));
  }
  std::string reshape(const std::string& suffix, const std::string& x, const std::vector<int64_t>& shape,
                      std::string output = {}) {
    const std::string target =
        initializer(suffix, "shape", Tensor::from_vector<int64_t>({static_cast<int64_t>(shape.size())}, shape));
    return node(suffix, "Reshape", {x, target}, {}, std::move(output));
  }
  std::string conv(const std::string& suffix, const std::string& x, Tensor weight, std::string bias,
                   std::vector<int64_t> strides, std::vector<int64_t> pads) {
    Attributes a;
    a.set("kernel_shape", Shape(weight.shape().begin() + 2, weight.shape().end()));
    a.set("strides", std::move(strides));
    a.set("pads", std::move(pads));
    std::vector<std::string> inputs = {x, initializer(suffix, "weight", std::move(weight))};
    if (!bias.empty()) inputs.push_back(std::move(bias));
    return node(suffix, "Conv", std::move(inputs), std::move(a));
  }
  std::string zero_bias(const std::string& suffix, int64_t channels) {
    return initializer(suffix, "bias", Tensor(DType::f32, {channels}));
  }
  const std::vector<std::string>& added() const { return added_; }

 private:
  std::vector<Node>& nodes_;
  std::map<std::string, Tensor>& initializers_;
  FreshNames& names_;
  std::string base_;
  std::vector<std::string> added_;
};

struct Replacement {
  std::vector<std::string> nodes;
  int64_t rank = 0;
  std::optional<double> relative_error;
};

Replacement replace(const Conv3d& c, const Conv3dTo2dOptions& options, NormalDraws& draws, std::vector<Node>& nodes,
                    std::map<std::string, Tensor>& initializers, FreshNames& names) {
  const Node& node = *c.node;
  const WindowGeometry& g = c.window;
  const int64_t co = c.out_channels, ci = c.in_channels;
  const int64_t out_area = c.out_height * c.out_width;
  Rewriter r(nodes, initializers, names, node.name);

  // [N, Ci, T, H, W] → [N, T, Ci, H, W] → [N·T, Ci, H, W]: every frame an image of its own.
  std::string x = r.transpose("frames_first", node.inputs[0], {0, 2, 1, 3, 4});
  x = r.reshape("fold_frames", x, {-1, ci, c.height, c.width});
  const std::vector<int64_t> spatial_strides = {g.strides[1], g.strides[2]};
  const std::vector<int64_t> spatial_pads = {g.pads_begin[1], g.pads_begin[2], g.pads_end[1], g.pads_end[2]};

  // Both kinds end on [N, Co, T', H'·W'], unfolded into [N, Co, T', H', W'] (see join_converted_layers).
  const auto unfold_positions = [&](const std::string& y) {
    r.reshape("unfold_positions", y, {-1, co, c.out_frames, c.out_height, c.out_width}, node.outputs[0]);
  };
  if (c.per_frame()) {
    // W[o, i, 0, h, w] is already the 2-D kernel; [N·T, Co, H', W'] → [N, T, Co, H'·W'] → [N, Co, T, H'·W'].
    x = r.conv("spatial", x, c.weight->reshaped({co, ci, c.kh(), c.kw()}), c.bias, spatial_strides, spatial_pads);
    x = r.reshape("unfold_frames", x, {-1, c.frames, co, out_area});
    unfold_positions(r.transpose("channels_first", x, {0, 2, 1, 3}));
    return {r.added(), c.full_rank(), 0.0};
  }

  const int64_t rank = chosen_rank(options, c);
  Weights w;
  if (options.init == Conv3dTo2dInit::svd) {
    w = svd_weights(c, rank);
  } else {
    w.spatial = he_normal({rank, ci, c.kh(), c.kw()}, draws);
    w.temporal = he_normal({co, rank, c.kt(), 1}, draws);
  }
  const bool fresh = options.init == Conv3dTo2dInit::fresh;
  // Without an activation between the halves the spatial conv has no bias: zero-padded frames
  // must stay zero for the temporal conv's padding to mean the 3-D conv's.
  x = r.conv("spatial", x, std::move(w.spatial), fresh ? r.zero_bias("spatial", rank) : std::string(), spatial_strides,
             spatial_pads);
  if (fresh) x = r.node("spatial_relu", "Relu", {x});
  // [N·T, R, H', W'] → [N, T, R, H'·W'] → [N, R, T, H'·W']: each clip a (frames × positions) plane.
  x = r.reshape("unfold_frames", x, {-1, c.frames, rank, out_area});
  x = r.transpose("channels_first", x, {0, 2, 1, 3});
  x = r.conv("temporal", x, std::move(*w.temporal), fresh ? r.zero_bias("temporal", co) : c.bias, {g.strides[0], 1},
             {g.pads_begin[0], 0, g.pads_end[0], 0});
  unfold_positions(x);
  return {r.added(), rank, w.relative_error};
}

// Ops that compute each element from the element alone, or from it and its channel (axis 1): they give
// the same values on [N, C, T, H'·W'] as on [N, C, T, H', W'].
bool commutes_with_unfolding(const Node& n) {
  static const std::set<std::string> kOps = {"Relu", "LeakyRelu", "Sigmoid", "Tanh",
                                             "Exp",  "Log",       "Clip",    "BatchNormalization"};
  return kOps.count(n.op_type) != 0 && n.outputs.size() == 1;
}

// Every converted conv ends in a Reshape of [N, Co, T', H'·W'] into the 3-D conv's [N, Co, T', H', W'],
// and begins with a Transpose of its 5-D input. Between two converted convs (and the activations
// between them) that round trip through 5-D only costs copies: oneDNN cannot fuse an activation that
// follows a Reshape into the conv before it, nor reshape the conv's blocked layout without a reorder.
// So the activations move before the Reshape, and a Reshape whose one reader is the next converted
// conv's Transpose is dropped, that Transpose permuting the 4-D value instead: the layout of the zoo's
// cnn3dto2d, [N, C, T, H·W] between layers.
void join_converted_layers(Graph& graph, std::vector<ConvertedConv>& layers, FreshNames& names) {
  std::set<std::string> graph_outputs;
  for (const ValueInfo& v : graph.outputs) graph_outputs.insert(v.name);
  std::set<std::string> heads;
  for (const ConvertedConv& l : layers) heads.insert(l.nodes.front());
  const auto index_of = [&](const std::string& name) {
    return std::find_if(graph.nodes.begin(), graph.nodes.end(), [&](const Node& n) { return n.name == name; }) -
           graph.nodes.begin();
  };
  // The one node reading `value`, or nullptr when it is a graph output or read by none or several.
  const auto sole_reader = [&](const std::string& value) -> Node* {
    if (graph_outputs.count(value)) return nullptr;
    Node* reader = nullptr;
    for (Node& n : graph.nodes)
      for (const std::string& in : n.inputs)
        if (in == value) {
          if (reader && reader != &n) return nullptr;
          reader = &n;
        }
    return reader;
  };

  for (ConvertedConv& l : layers) {
    const std::string tail = l.nodes.back();
    for (;;) {
      Node& unfold = graph.nodes[index_of(tail)];
      Node* reader = sole_reader(unfold.outputs[0]);
      if (!reader || reader->inputs[0] != unfold.outputs[0]) break;
      if (heads.count(reader->name)) {
        reader->inputs[0] = unfold.inputs[0];
        reader->attrs.set("perm", std::vector<int64_t>{0, 2, 1, 3});
        graph.initializers.erase(unfold.inputs[1]);
        graph.nodes.erase(graph.nodes.begin() + index_of(tail));
        l.nodes.pop_back();
        break;
      }
      if (!commutes_with_unfolding(*reader)) break;
      // x → Reshape → act → y   becomes   x → act → Reshape → y.
      Node act = *reader;
      graph.nodes.erase(graph.nodes.begin() + index_of(act.name));
      const std::string y = act.outputs[0];
      act.inputs[0] = unfold.inputs[0];
      act.outputs[0] = names.fresh(act.name + "/before_unfold");
      Node& moved_unfold = graph.nodes[index_of(tail)];
      moved_unfold.inputs[0] = act.outputs[0];
      moved_unfold.outputs[0] = y;
      graph.nodes.insert(graph.nodes.begin() + index_of(tail), std::move(act));
    }
  }
}

// Drops the initializers that only the replaced convolutions read.
void drop_unread(Graph& graph, const std::set<std::string>& candidates) {
  std::set<std::string> read;
  for (const Node& n : graph.nodes) read.insert(n.inputs.begin(), n.inputs.end());
  for (const ValueInfo& v : graph.outputs) read.insert(v.name);
  for (const std::string& name : candidates)
    if (!read.count(name)) graph.initializers.erase(name);
}

std::map<std::string, const LayerCost*> by_node(const ModelCost& cost) {
  std::map<std::string, const LayerCost*> index;
  for (const LayerCost& l : cost.layers) index[l.node] = &l;
  return index;
}

void record_costs(const Graph& before, const Graph& after, std::vector<ConvertedConv>& layers) {
  const ModelCost cost_before = model_cost(before), cost_after = model_cost(after);
  const auto old_layers = by_node(cost_before), new_layers = by_node(cost_after);
  for (ConvertedConv& l : layers) {
    l.params_before = old_layers.at(l.node)->params;
    l.macs_before = old_layers.at(l.node)->macs;
    for (const std::string& n : l.nodes) {
      l.params_after += new_layers.at(n)->params;
      l.macs_after += new_layers.at(n)->macs;
    }
  }
}

std::string layers_metadata(const std::vector<ConvertedConv>& layers) {
  std::vector<std::string> parts;
  for (const ConvertedConv& l : layers) {
    if (!l.split) {
      parts.push_back(fmt::format("{}: per-frame 2-D conv, exact", l.node));
      continue;
    }
    std::string part = fmt::format("{}: rank {} of {}", l.node, l.rank, l.full_rank);
    if (l.relative_error) part += fmt::format(", relative error {:.3e}", *l.relative_error);
    parts.push_back(std::move(part));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

const char* init_name(Conv3dTo2dInit init) { return init == Conv3dTo2dInit::svd ? "svd" : "fresh"; }

Conv3dTo2dResult convert_3d_to_2d(const Graph& graph, const Conv3dTo2dOptions& options) {
  check_options(options);
  const GraphShapes shapes = infer_shapes(graph);
  std::vector<const Node*> convs;
  for (const Node& n : graph.nodes)
    if (is_conv3d(n, shapes)) convs.push_back(&n);
  if (convs.empty()) fail("graph '{}' has no 3-D convolution: nothing to convert", graph.name);
  const std::set<std::string> varying = values_with_unknown_dims(graph, shapes, convs);
  std::map<const Node*, Conv3d> to_convert;
  for (const Node* n : convs) to_convert[n] = read_conv3d(graph, *n, shapes, varying);

  Conv3dTo2dResult result;
  Graph& out = result.graph;
  out.name = graph.name;
  out.inputs = graph.inputs;
  out.outputs = graph.outputs;
  out.initializers = graph.initializers;
  out.metadata = graph.metadata;
  FreshNames names(graph);
  NormalDraws draws(options.seed);
  std::set<std::string> replaced_operands;
  for (const Node& n : graph.nodes) {
    const auto it = to_convert.find(&n);
    if (it == to_convert.end()) {
      out.nodes.push_back(n);
      continue;
    }
    const Conv3d& c = it->second;
    const Replacement rep = replace(c, options, draws, out.nodes, out.initializers, names);
    result.layers.push_back({.node = n.name,
                             .kernel = c.window.kernel,
                             .split = !c.per_frame(),
                             .rank = rep.rank,
                             .full_rank = c.full_rank(),
                             .relative_error = rep.relative_error,
                             .nodes = rep.nodes});
    replaced_operands.insert(n.inputs.begin() + 1, n.inputs.end());
  }
  join_converted_layers(out, result.layers, names);
  drop_unread(out, replaced_operands);
  out.metadata["stride.convert.3d_to_2d"] =
      options.init == Conv3dTo2dInit::svd ? "svd" : fmt::format("fresh (seed {})", options.seed);
  out.metadata["stride.convert.3d_to_2d.layers"] = layers_metadata(result.layers);
  validate(out);

  // Every value the converted graph still has keeps its shape, graph outputs first.
  const GraphShapes converted = infer_shapes(out);
  for (const auto& [v, info] : converted.values)
    if (shapes.values.count(v) && info.shape != shapes.at(v).shape)
      fail("internal error: the 3D→2D conversion changed value '{}' from {} to {}", v, shape_str(shapes.at(v).shape),
           shape_str(converted.at(v).shape));
  record_costs(graph, out, result.layers);
  return result;
}

}  // namespace stride
