#include "stride/compress/ghost_conversion.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "stride/core/usage_error.h"
#include "stride/ir/cost.h"
#include "stride/ir/fresh_names.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

// One eligible convolution, read: its weight [m, c, kh, kw] and its bias (empty when absent).
struct Candidate {
  const Node* node = nullptr;
  const Tensor* weight = nullptr;
  const Tensor* bias = nullptr;
  int64_t maps = 0;
};

// Why `node` (a Conv) cannot become a Ghost module; nothing when it can.
std::optional<std::string> ineligible(const Graph& graph, const Node& node, int64_t ratio) {
  if (node.inputs.size() < 2 || !graph.is_initializer(node.inputs[1]))
    return std::string("its weight is not an initializer");
  const Tensor& w = graph.initializers.at(node.inputs[1]);
  if (w.dtype() != DType::f32)
    return fmt::format("its weight is {}, not f32 (convert before quantizing)", dtype_name(w.dtype()));
  if (w.rank() != 4) return fmt::format("a {}-D convolution, not 2-D", static_cast<int64_t>(w.rank()) - 2);
  if (node.inputs.size() > 2 && !node.inputs[2].empty()) {
    if (!graph.is_initializer(node.inputs[2])) return std::string("its bias is not an initializer");
    if (graph.initializers.at(node.inputs[2]).dtype() != DType::f32) return std::string("its bias is not f32");
  }
  const int64_t group = node.attrs.get_int("group", 1);
  if (group != 1) return fmt::format("a grouped convolution (group {}) is already cheap", group);
  const int64_t maps = w.dim(0);
  if (maps % ratio != 0) return fmt::format("its {} output maps are not a multiple of the ratio {}", maps, ratio);
  if (maps < 2 * ratio)
    return fmt::format("{} output maps: fewer than 2 × ratio = {} (too few to share)", maps, 2 * ratio);
  return std::nullopt;
}

// The m/ratio filters of largest L1 norm (ties: the lower channel), placed as the header says.
std::vector<int64_t> kept_filters(const Tensor& weight, int64_t primary_maps) {
  const int64_t maps = weight.dim(0), per_filter = weight.numel() / maps;
  const auto w = weight.values<float>();
  std::vector<double> norm(static_cast<size_t>(maps), 0.0);
  for (int64_t o = 0; o < maps; ++o)
    for (int64_t i = 0; i < per_filter; ++i) norm[o] += std::fabs(w[o * per_filter + i]);
  std::vector<int64_t> order(static_cast<size_t>(maps));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return norm[a] > norm[b]; });
  std::set<int64_t> chosen(order.begin(), order.begin() + primary_maps);

  std::vector<int64_t> placed(static_cast<size_t>(primary_maps), -1);
  for (int64_t c : chosen)
    if (c < primary_maps) placed[c] = c;
  auto slot = placed.begin();
  for (int64_t c : chosen) {
    if (c < primary_maps) continue;
    slot = std::find(slot, placed.end(), -1);
    *slot = c;
  }
  return placed;
}

// Appends the module that replaces `c` to `out`; returns its node names.
std::vector<std::string> replace(const Candidate& c, const std::vector<int64_t>& kept, int64_t ratio, Graph& out,
                                 FreshNames& names) {
  const Node& conv = *c.node;
  const int64_t maps = c.maps, primary_maps = maps / ratio, cheap_maps = maps - primary_maps;
  const int64_t per_filter = c.weight->numel() / maps;

  Tensor primary_weight(DType::f32, {primary_maps, c.weight->dim(1), c.weight->dim(2), c.weight->dim(3)});
  const auto w = c.weight->values<float>();
  auto pw = primary_weight.values<float>();
  for (int64_t i = 0; i < primary_maps; ++i)
    std::copy_n(w.begin() + kept[i] * per_filter, per_filter, pw.begin() + i * per_filter);

  const std::string primary = names.fresh(conv.name + "/ghost_primary");
  const std::string primary_w = names.fresh(primary + ".weight");
  out.initializers.emplace(primary_w, std::move(primary_weight));
  std::vector<std::string> primary_inputs = {conv.inputs[0], primary_w};
  if (c.bias) {
    Tensor bias(DType::f32, {primary_maps});
    const auto b = c.bias->values<float>();
    for (int64_t i = 0; i < primary_maps; ++i) bias.values<float>()[i] = b[kept[i]];
    const std::string name = names.fresh(primary + ".bias");
    out.initializers.emplace(name, std::move(bias));
    primary_inputs.push_back(name);
  }
  Attributes primary_attrs = conv.attrs;
  primary_attrs.erase("group");
  out.nodes.push_back({primary, "Conv", std::move(primary_inputs), {primary}, std::move(primary_attrs)});

  // Identity 3×3 kernels: cheap map j copies primary map j / (ratio − 1), its group's one input.
  Tensor cheap_weight(DType::f32, {cheap_maps, 1, 3, 3});
  for (int64_t j = 0; j < cheap_maps; ++j) cheap_weight.values<float>()[j * 9 + 4] = 1.0f;
  const std::string cheap = names.fresh(conv.name + "/ghost_cheap");
  const std::string cheap_w = names.fresh(cheap + ".weight");
  out.initializers.emplace(cheap_w, std::move(cheap_weight));
  std::vector<std::string> cheap_inputs = {primary, cheap_w};
  if (c.bias) {  // zero, trainable; a convolution without a bias gets a module without one
    const std::string name = names.fresh(cheap + ".bias");
    out.initializers.emplace(name, Tensor(DType::f32, {cheap_maps}));
    cheap_inputs.push_back(name);
  }
  Attributes cheap_attrs;
  cheap_attrs.set("kernel_shape", std::vector<int64_t>{3, 3});
  cheap_attrs.set("strides", std::vector<int64_t>{1, 1});
  cheap_attrs.set("pads", std::vector<int64_t>{1, 1, 1, 1});
  cheap_attrs.set("group", primary_maps);
  out.nodes.push_back({cheap, "Conv", std::move(cheap_inputs), {cheap}, std::move(cheap_attrs)});

  const std::string concat = names.fresh(conv.name + "/ghost_concat");
  Attributes concat_attrs;
  concat_attrs.set("axis", int64_t{1});
  out.nodes.push_back({concat, "Concat", {primary, cheap}, {conv.outputs.at(0)}, std::move(concat_attrs)});
  return {primary, cheap, concat};
}

void record_costs(const Graph& before, const Graph& after, std::vector<GhostedConv>& layers) {
  const ModelCost cost_before = model_cost(before), cost_after = model_cost(after);
  std::map<std::string, const LayerCost*> old_layers, new_layers;
  for (const LayerCost& l : cost_before.layers) old_layers[l.node] = &l;
  for (const LayerCost& l : cost_after.layers) new_layers[l.node] = &l;
  for (GhostedConv& l : layers) {
    l.params_before = old_layers.at(l.node)->params;
    l.macs_before = old_layers.at(l.node)->macs;
    for (const std::string& n : l.nodes) {
      l.params_after += new_layers.at(n)->params;
      l.macs_after += new_layers.at(n)->macs;
    }
  }
}

}  // namespace

GhostResult convert_to_ghost(const Graph& graph, const GhostOptions& options) {
  const int64_t ratio = options.ratio;
  if (ratio < 2) usage_fail("--ratio {}: a Ghost module needs a ratio of at least 2", ratio);

  GhostResult result;
  std::map<const Node*, Candidate> candidates;
  for (const Node& n : graph.nodes) {
    if (n.op_type != "Conv") continue;
    if (auto reason = ineligible(graph, n, ratio)) {
      result.skipped.push_back({n.name, *reason});
      continue;
    }
    Candidate c{&n, &graph.initializers.at(n.inputs[1]), nullptr, 0};
    if (n.inputs.size() > 2 && !n.inputs[2].empty()) c.bias = &graph.initializers.at(n.inputs[2]);
    c.maps = c.weight->dim(0);
    candidates[&n] = c;
  }
  if (candidates.empty())
    fail(
        "model '{}' has no convolution a Ghost module can replace (a 2-D Conv with group 1, f32 weights and a "
        "multiple of {} output maps, at least {}): nothing to convert{}",
        graph.name, ratio, 2 * ratio,
        result.skipped.empty() ? std::string(" (it has no Conv)")
                               : fmt::format(" ({}: {})", result.skipped.front().node, result.skipped.front().reason));
  const GraphShapes shapes = infer_shapes(graph);

  Graph& out = result.graph;
  out.name = graph.name;
  out.inputs = graph.inputs;
  out.outputs = graph.outputs;
  out.initializers = graph.initializers;
  out.metadata = graph.metadata;
  FreshNames names(graph);
  std::set<std::string> replaced_operands;
  for (const Node& n : graph.nodes) {
    const auto it = candidates.find(&n);
    if (it == candidates.end()) {
      out.nodes.push_back(n);
      continue;
    }
    const Candidate& c = it->second;
    GhostedConv layer;
    layer.node = n.name;
    layer.kernel = {c.weight->dim(2), c.weight->dim(3)};
    layer.maps = c.maps;
    layer.primary_maps = c.maps / ratio;
    layer.kept = kept_filters(*c.weight, layer.primary_maps);
    layer.nodes = replace(c, layer.kept, ratio, out, names);
    result.layers.push_back(std::move(layer));
    replaced_operands.insert(n.inputs.begin() + 1, n.inputs.end());
  }
  // The replaced convolutions' weights and biases, unless something else reads them.
  std::set<std::string> read;
  for (const Node& n : out.nodes) read.insert(n.inputs.begin(), n.inputs.end());
  for (const ValueInfo& v : out.outputs) read.insert(v.name);
  for (const std::string& name : replaced_operands)
    if (!read.count(name)) out.initializers.erase(name);

  out.metadata["stride.convert.ghost"] = fmt::format(
      "ratio {}: {} of {} convolutions as primary conv + depthwise 3x3 cheap conv (identity-initialised) + Concat",
      ratio, result.layers.size(), result.layers.size() + result.skipped.size());
  std::vector<std::string> parts;
  for (const GhostedConv& l : result.layers)
    parts.push_back(
        fmt::format("{}: {} maps = {} primary + {} cheap", l.node, l.maps, l.primary_maps, l.maps - l.primary_maps));
  out.metadata["stride.convert.ghost.layers"] = fmt::format("{}", fmt::join(parts, "; "));
  if (!result.skipped.empty()) {
    parts.clear();
    for (const SkippedConv& s : result.skipped) parts.push_back(fmt::format("{}: {}", s.node, s.reason));
    out.metadata["stride.convert.ghost.skipped"] = fmt::format("{}", fmt::join(parts, "; "));
  }
  validate(out);

  // Every value the converted graph shares with the original keeps its shape: the consumers see
  // what they saw.
  const GraphShapes converted = infer_shapes(out);
  for (const auto& [v, info] : converted.values)
    if (shapes.values.count(v) && info.shape != shapes.at(v).shape)
      fail("internal error: the Ghost conversion changed value '{}' from {} to {}", v, shape_str(shapes.at(v).shape),
           shape_str(info.shape));
  record_costs(graph, out, result.layers);
  return result;
}

}  // namespace stride
