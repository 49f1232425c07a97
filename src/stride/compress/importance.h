#pragma once
// Pruning criteria: how much each channel of each group matters (higher: keep). Pluggable: every
// criterion returns one score per channel of every group, whatever it measures.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "stride/compress/channel_groups.h"
#include "stride/engine/backend.h"

namespace stride::compress {

using ChannelScores = std::map<int, std::vector<double>>;  // group id → one score per channel

enum class Criterion { l1, l2, activation, random };
Criterion parse_criterion(const std::string& name);  // "l1", "l2", "activation", "random"
std::string criterion_name(Criterion criterion);

// The paper's criterion (p = 1) and its L2 variant: the Lp norm of each filter, averaged over the
// group's producers when several convolutions make the same channels (residual adds).
ChannelScores weight_norm_scores(const Graph& graph, const ChannelGroups& groups, int p);

// A control: uniform random scores from `seed`.
ChannelScores random_scores(const ChannelGroups& groups, uint64_t seed);

// The criterion of Balemans et al. (2024): the mean absolute output activation of each channel over `samples` (each
// one batch of the model's inputs) run on `backend`, averaged over the group's producers.
ChannelScores activation_scores(const Graph& graph, const ChannelGroups& groups, const Backend& backend,
                                const std::vector<TensorMap>& samples);

// Scores by `criterion`; `seed` for random, `backend` and `samples` for activation (throws
// stride::Error naming --data when those are missing).
ChannelScores score_channels(const Graph& graph, const ChannelGroups& groups, Criterion criterion, uint64_t seed,
                             const Backend* backend, const std::vector<TensorMap>& samples);

}  // namespace stride::compress
