#include "stride/compress/filter_pruning.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "stride/ir/weight_checks.h"

namespace stride::compress {
namespace {

constexpr const char* kHistoryKey = "stride.pruning";

// Depthwise convolutions form no group of their own (their filters go with their input's channels):
// a model of only those has convolutions, none of them prunable.
std::string depthwise_convolutions(const Graph& graph) {
  std::vector<std::string> found;
  for (const Node& node : graph.nodes)
    if (node.op_type == "Conv" && node.attrs.get_int("group", 1) > 1 && graph.is_initializer(node.inputs[1]) &&
        graph.initializers.at(node.inputs[1]).shape()[1] == 1)
      found.push_back(fmt::format("'{}' ({} groups)", node.name, node.attrs.get_int("group", 1)));
  return fmt::format("{}", fmt::join(found, ", "));
}

void check_something_prunable(const Graph& graph, const ChannelGroups& groups, bool dense) {
  std::vector<std::string> reasons;
  for (const ChannelGroup& group : groups.groups) {
    if (group.dense && !dense) continue;
    if (group.prunable() && group.channels > 1) return;
    reasons.push_back(
        fmt::format("'{}': {}", group.producers.front(), group.prunable() ? "has a single channel" : group.blocked));
  }
  if (reasons.empty() && !depthwise_convolutions(graph).empty())
    fail(
        "the model has no prunable convolution: its depthwise convolutions {} lose filters only with their input's "
        "channels, and no other convolution feeds them",
        depthwise_convolutions(graph));
  if (reasons.empty()) fail("the model has no convolution to prune (--dense prunes dense layers too)");
  fail("the model has no prunable layer: {}", fmt::join(reasons, "; "));
}

}  // namespace

void record_pruning(Graph& graph, const PruneOptions& options, const Selection& selection, int steps) {
  nlohmann::json history = nlohmann::json::array();
  if (auto it = graph.metadata.find(kHistoryKey); it != graph.metadata.end())
    history = nlohmann::json::parse(it->second, nullptr, false);
  if (!history.is_array()) history = nlohmann::json::array();
  nlohmann::json step;
  step["criterion"] = criterion_name(options.criterion);
  step["requested_ratio"] = selection.requested;
  step["real_ratio"] = selection.real;
  step["normalize"] = options.selection.normalize;
  step["max_layer_ratio"] = options.selection.max_layer_ratio;
  step["round_to"] = options.selection.round_to;
  step["whole_blocks"] = options.selection.whole_blocks;
  step["steps"] = steps;
  for (const LayerSelection& layer : selection.layers)
    step["layers"].push_back(
        {{"node", layer.node}, {"before", layer.before}, {"after", layer.after}, {"requested_ratio", layer.requested}});
  history.push_back(step);
  graph.metadata[kHistoryKey] = history.dump();
}

PruneStep prune_filters(const Graph& graph, const PruneOptions& options) {
  check_finite_weights(graph, "pruning");
  const ChannelGroups groups = find_channel_groups(graph);
  check_something_prunable(graph, groups, options.selection.dense);
  const ChannelScores scores =
      score_channels(graph, groups, options.criterion, options.seed, options.backend, options.samples);
  PruneStep step{Graph{}, select_channels(groups, scores, options.selection)};
  step.graph = remove_channels(graph, groups, step.selection.kept);
  if (options.record_history) record_pruning(step.graph, options, step.selection);
  return step;
}

std::string describe_groups(const ChannelGroups& groups) {
  std::string text;
  for (const ChannelGroup& group : groups.groups) {
    text += fmt::format("group {:>3}  {:>5} channels  {:<5}  {}", group.id, group.channels,
                        group.dense ? "dense" : "conv", fmt::join(group.producers, " + "));
    if (group.runs > 1)
      text += fmt::format("  (grouped convolutions: {} runs of {})", group.runs, group.channels / group.runs);
    text += group.prunable() ? "\n" : fmt::format("\n           not prunable: {}\n", group.blocked);
  }
  return text;
}

}  // namespace stride::compress
