#include "stride/compress/importance.h"

#include <cmath>

#include "stride/core/random.h"
#include "stride/core/usage_error.h"
#include "stride/engine/probed_run.h"

namespace stride::compress {

Criterion parse_criterion(const std::string& name) {
  if (name == "l1") return Criterion::l1;
  if (name == "l2") return Criterion::l2;
  if (name == "activation") return Criterion::activation;
  if (name == "random") return Criterion::random;
  usage_fail("unknown pruning criterion '{}' (expected l1, l2, activation or random)", name);
}

std::string criterion_name(Criterion criterion) {
  switch (criterion) {
    case Criterion::l1:
      return "l1";
    case Criterion::l2:
      return "l2";
    case Criterion::activation:
      return "activation";
    case Criterion::random:
      return "random";
  }
  return "";
}

namespace {

// Σ f(x) over each position of `axis` of a float tensor, every other axis summed.
template <typename F>
std::vector<double> sum_per_position(const Tensor& tensor, size_t axis, F f) {
  const Tensor values = tensor.to_f32();
  int64_t inner = 1;
  for (size_t d = axis + 1; d < values.rank(); ++d) inner *= values.dim(d);
  const int64_t extent = values.dim(axis);
  std::vector<double> sums(extent, 0.0);
  const std::span<const float> data = values.values<float>();
  for (size_t i = 0; i < data.size(); ++i) sums[(static_cast<int64_t>(i) / inner) % extent] += f(data[i]);
  return sums;
}

// Averages each group's per-producer scores; groups without producers score zero.
ChannelScores average(const ChannelGroups& groups,
                      const std::map<int, std::vector<std::vector<double>>>& per_producer) {
  ChannelScores scores;
  for (const ChannelGroup& group : groups.groups) {
    std::vector<double>& s = scores[group.id];
    s.assign(group.channels, 0.0);
    auto it = per_producer.find(group.id);
    if (it == per_producer.end()) continue;
    for (const std::vector<double>& producer : it->second)
      for (int64_t c = 0; c < group.channels; ++c) s[c] += producer[c] / static_cast<double>(it->second.size());
  }
  return scores;
}

}  // namespace

ChannelScores weight_norm_scores(const Graph& graph, const ChannelGroups& groups, int p) {
  std::map<int, std::vector<std::vector<double>>> per_producer;
  for (const ChannelGroup& group : groups.groups)
    for (const TensorAxis* filter : groups.filters_of(group.id)) {
      std::vector<double> norms = sum_per_position(graph.initializers.at(filter->tensor), filter->axis,
                                                   [p](float x) { return p == 1 ? std::fabs(x) : double(x) * x; });
      if (p == 2)
        for (double& n : norms) n = std::sqrt(n);
      per_producer[group.id].push_back(std::move(norms));
    }
  return average(groups, per_producer);
}

ChannelScores random_scores(const ChannelGroups& groups, uint64_t seed) {
  Random random(seed);
  ChannelScores scores;
  for (const ChannelGroup& group : groups.groups)
    for (int64_t c = 0; c < group.channels; ++c) scores[group.id].push_back(random.uniform());
  return scores;
}

ChannelScores activation_scores(const Graph& graph, const ChannelGroups& groups, const Backend& backend,
                                const std::vector<TensorMap>& samples) {
  if (samples.empty()) fail("the activation criterion needs at least one sample");
  // The producers' outputs are watched; their channel axis is 1 for Conv and Gemm, the last for MatMul.
  std::map<std::string, std::pair<int, bool>> probes;  // value → (group, channels last)
  for (const ChannelGroup& group : groups.groups)
    for (const std::string& producer : group.producers)
      for (const Node& node : graph.nodes)
        if (node.name == producer) probes[node.outputs[0]] = {group.id, node.op_type == "MatMul"};
  std::vector<std::string> values;
  for (const auto& [value, probe] : probes) values.push_back(value);
  std::map<std::string, std::vector<double>> sums;
  double count = 0;
  run_with_probes(graph, values, backend, samples, [&](const TensorMap& outputs) {
    for (const auto& [value, probe] : probes) {
      const Tensor& activation = outputs.at(value);
      const size_t axis = probe.second ? activation.rank() - 1 : 1;
      std::vector<double> s = sum_per_position(activation, axis, [](float x) { return std::fabs(x); });
      const double positions = static_cast<double>(activation.numel()) / static_cast<double>(s.size());
      std::vector<double>& total = sums[value];
      total.resize(s.size(), 0.0);
      for (size_t c = 0; c < s.size(); ++c) total[c] += s[c] / positions;
    }
    count += 1;
  });
  std::map<int, std::vector<std::vector<double>>> per_producer;
  for (auto& [value, total] : sums) {
    for (double& t : total) t /= count;
    per_producer[probes.at(value).first].push_back(total);
  }
  return average(groups, per_producer);
}

ChannelScores score_channels(const Graph& graph, const ChannelGroups& groups, Criterion criterion, uint64_t seed,
                             const Backend* backend, const std::vector<TensorMap>& samples) {
  switch (criterion) {
    case Criterion::l1:
      return weight_norm_scores(graph, groups, 1);
    case Criterion::l2:
      return weight_norm_scores(graph, groups, 2);
    case Criterion::random:
      return random_scores(groups, seed);
    case Criterion::activation:
      if (!backend || samples.empty()) fail("the activation criterion needs sample data (--data DIR --samples N)");
      return activation_scores(graph, groups, *backend, samples);
  }
  fail("unknown criterion");
}

}  // namespace stride::compress
