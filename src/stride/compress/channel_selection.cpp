#include "stride/compress/channel_selection.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "stride/core/usage_error.h"

namespace stride::compress {
namespace {

void check_ratio(double ratio, const std::string& what) {
  if (!(ratio >= 0 && ratio < 1)) usage_fail("{} must be in [0, 1), got {}", what, ratio);
}

// What the threshold takes or leaves as one: a filter, or with whole blocks a block of filters.
struct Candidate {
  double score = 0;
  int group = 0;
  std::vector<int64_t> channels;
  int64_t filters = 0;  // filters removed with it: its channels times the group's producers
};

// The channels of one run of a group (one run unless grouped convolutions read it), lowest-scored
// or best-scored first; ties in index order.
std::vector<int64_t> run_order(const ChannelGroup& group, const std::vector<double>& scores, int64_t run,
                               bool best_first) {
  const int64_t length = group.channels / group.runs;
  std::vector<int64_t> order(static_cast<size_t>(length));
  std::iota(order.begin(), order.end(), run * length);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return best_first ? scores[a] > scores[b] : scores[a] < scores[b]; });
  return order;
}

// A group's channels in slices, lowest-scored first: slice i holds the i-th lowest-scored channel of
// each of the group's runs, so that whole slices take equally many channels from every run.
std::vector<std::vector<int64_t>> slices_of(const ChannelGroup& group, const std::vector<double>& scores) {
  std::vector<std::vector<int64_t>> slices(static_cast<size_t>(group.channels / group.runs));
  for (int64_t run = 0; run < group.runs; ++run) {
    const std::vector<int64_t> order = run_order(group, scores, run, false);
    for (size_t i = 0; i < order.size(); ++i) slices[i].push_back(order[i]);
  }
  return slices;
}

// The slices a whole block spans: enough that its channels are a multiple of round_to.
int64_t slices_per_block(const ChannelGroup& group, int64_t round_to) {
  return round_to / std::gcd(round_to, group.runs);
}

// A group's candidates. One per slice; with whole blocks, its lowest-scored slices in blocks of
// `block` slices (the first one smaller when the removable count is not a multiple), each scored by
// its channels' mean, and its best block kept as a candidate that is never taken. A group that cannot
// be pruned still counts its filters, in candidates that are never taken (score +inf), as in the
// paper's percentile over all layers.
std::vector<Candidate> candidates_of(const ChannelGroup& group, const std::vector<double>& scores, int64_t block) {
  const auto producers = static_cast<int64_t>(group.producers.size());
  constexpr double kNeverTaken = std::numeric_limits<double>::infinity();
  const std::vector<std::vector<int64_t>> slices = slices_of(group, scores);
  const auto length = static_cast<int64_t>(slices.size());
  const int64_t removable = group.prunable() ? length - std::min(length, block) : length;
  std::vector<Candidate> candidates;
  for (int64_t first = 0; first < length;) {
    const bool kept = !group.prunable() || first >= removable;
    int64_t size = kept || block == 1 ? 1 : (first == 0 && removable % block != 0 ? removable % block : block);
    Candidate c{0, group.id, {}, 0};
    for (int64_t i = first; i < first + size; ++i)
      c.channels.insert(c.channels.end(), slices[i].begin(), slices[i].end());
    c.filters = static_cast<int64_t>(c.channels.size()) * producers;
    for (int64_t ch : c.channels) c.score += scores[ch] / static_cast<double>(c.channels.size());
    if (!group.prunable() || (kept && block > 1)) c.score = kNeverTaken;
    candidates.push_back(std::move(c));
    first += size;
  }
  return candidates;
}

// The `per_run` best-scored channels of each run of a group, ascending.
std::vector<int64_t> best_per_run(const ChannelGroup& group, const std::vector<double>& scores, int64_t per_run) {
  std::vector<int64_t> best;
  for (int64_t run = 0; run < group.runs; ++run) {
    const std::vector<int64_t> order = run_order(group, scores, run, true);
    best.insert(best.end(), order.begin(), order.begin() + per_run);
  }
  std::sort(best.begin(), best.end());
  return best;
}

// Removes the lowest-scored candidates of one pool up to `ratio` of its filters, no group beyond
// its limit of channels; returns the channels each group would lose before the one-filter floor.
// Single filters stop at the budget (the paper's threshold); blocks are taken while they bring the
// total nearer the budget, smaller ones after a block that would overshoot.
std::map<int, std::vector<int64_t>> below_threshold(std::vector<Candidate> candidates, double ratio,
                                                    const std::map<int, int64_t>& limit, bool blocks) {
  const int64_t total = std::accumulate(candidates.begin(), candidates.end(), int64_t{0},
                                        [](int64_t sum, const Candidate& c) { return sum + c.filters; });
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score < b.score; });
  std::map<int, std::vector<int64_t>> removed;
  const double budget = ratio * static_cast<double>(total);
  int64_t taken = 0;
  for (const Candidate& c : candidates) {
    if (std::isinf(c.score)) break;
    const double slack = blocks ? 0.5 * static_cast<double>(c.filters) : 0.0;
    if (static_cast<double>(taken + c.filters) > budget + slack + 1e-9) {
      if (blocks) continue;
      break;
    }
    std::vector<int64_t>& lost = removed[c.group];
    if (static_cast<int64_t>(lost.size() + c.channels.size()) > limit.at(c.group)) continue;
    taken += c.filters;
    lost.insert(lost.end(), c.channels.begin(), c.channels.end());
  }
  return removed;
}

// See Selection::granularity.
int64_t granularity_of(const ChannelGroup& group, const SelectionRequest& request) {
  return static_cast<int64_t>(group.producers.size()) * group.runs *
         (request.whole_blocks ? slices_per_block(group, request.round_to) : 1);
}

}  // namespace

int pool_of(const ChannelGroup& group, const SelectionRequest& request) {
  for (size_t i = 0; i < request.ratio_for.size(); ++i)
    for (const std::string& producer : group.producers)
      if (fnmatch(request.ratio_for[i].first.c_str(), producer.c_str(), 0) == 0) return static_cast<int>(i);
  return -1;
}

double requested_ratio(const ChannelGroup& group, const SelectionRequest& request) {
  const int pool = pool_of(group, request);
  return pool < 0 ? request.ratio : request.ratio_for[pool].second;
}

Selection compare_layers(const Graph& before, const Graph& after, const SelectionRequest& request) {
  std::map<std::string, int64_t> channels_after;
  for (const ChannelGroup& group : find_channel_groups(after).groups)
    for (const std::string& producer : group.producers) channels_after[producer] = group.channels;
  Selection selection;
  double all = 0, removed = 0, requested = 0;
  for (const ChannelGroup& group : find_channel_groups(before).groups) {
    if (group.dense && !request.dense) continue;
    const double ratio = requested_ratio(group, request);
    if (group.prunable()) selection.granularity = std::max(selection.granularity, granularity_of(group, request));
    for (const std::string& producer : group.producers) {
      auto it = channels_after.find(producer);
      if (it == channels_after.end()) fail("the pruned model has no layer '{}'", producer);
      selection.layers.push_back({producer, group.channels, it->second, ratio, group.blocked});
      all += double(group.channels);
      removed += double(group.channels - it->second);
      requested += ratio * double(group.channels);
    }
  }
  selection.filters = static_cast<int64_t>(all);
  if (all > 0) {
    selection.real = removed / all;
    selection.requested = requested / all;
  }
  return selection;
}

Selection select_channels(const ChannelGroups& groups, const ChannelScores& scores, const SelectionRequest& request) {
  check_ratio(request.ratio, "--ratio");
  for (const auto& [pattern, ratio] : request.ratio_for) check_ratio(ratio, "the ratio for '" + pattern + "'");
  if (request.round_to < 1) usage_fail("--round-to must be at least 1, got {}", request.round_to);
  if (request.whole_blocks && request.round_to < 2) usage_fail("--whole-blocks needs --round-to N with N > 1");
  if (!(request.max_layer_ratio > 0 && request.max_layer_ratio <= 1))
    usage_fail("--max-layer-ratio must be in (0, 1], got {}", request.max_layer_ratio);

  // Candidates per pool; groups that cannot be pruned still count their filters (and are never
  // taken: their scores are +inf), as in the paper's percentile over all layers.
  std::map<int, std::vector<Candidate>> pools;
  std::map<int, int64_t> limit;  // channels each group may lose to the threshold
  std::vector<bool> pattern_used(request.ratio_for.size(), false);
  for (const ChannelGroup& group : groups.groups) {
    if (group.dense && !request.dense) continue;
    const int pool = pool_of(group, request);
    if (pool >= 0) pattern_used[pool] = true;
    limit[group.id] =
        request.max_layer_ratio < 1
            ? std::min(group.channels - 1,
                       static_cast<int64_t>(std::floor(request.max_layer_ratio * double(group.channels) + 1e-9)))
            : group.channels;
    std::vector<double> s = scores.at(group.id);
    if (request.normalize) {
      const double mean = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size());
      if (mean > 0)
        for (double& x : s) x /= mean;
    }
    const int64_t block = request.whole_blocks ? slices_per_block(group, request.round_to) : 1;
    for (Candidate& c : candidates_of(group, s, block)) pools[pool].push_back(std::move(c));
  }
  for (size_t i = 0; i < pattern_used.size(); ++i)
    if (!pattern_used[i]) usage_fail("--ratio-for '{}' matches no prunable layer", request.ratio_for[i].first);

  Selection selection;
  double requested_filters = 0, removed_filters = 0, all_filters = 0;
  for (const auto& [pool, candidates] : pools) {
    const double ratio = pool < 0 ? request.ratio : request.ratio_for[pool].second;
    std::map<int, std::vector<int64_t>> removed = below_threshold(candidates, ratio, limit, request.whole_blocks);
    std::set<int> pool_groups;
    for (const Candidate& c : candidates) pool_groups.insert(c.group);
    for (int id : pool_groups) {
      const ChannelGroup& group = groups.groups[id];
      const int64_t channels = group.channels;
      // Keep the best slices (one channel per run each): at least one block (one slice unrounded),
      // rounded up so that the kept channels are a multiple of round_to, or all of them.
      const int64_t length = channels / group.runs, step = slices_per_block(group, request.round_to);
      const int64_t wanted = length - static_cast<int64_t>(removed[id].size()) / group.runs;
      const int64_t keep = group.runs * std::min(length, std::max<int64_t>(step, (wanted + step - 1) / step * step));
      if (keep < channels) selection.kept[id] = best_per_run(group, scores.at(id), keep / group.runs);
      const double filters = static_cast<double>(channels * group.producers.size());
      if (group.prunable()) selection.granularity = std::max(selection.granularity, granularity_of(group, request));
      all_filters += filters;
      requested_filters += ratio * filters;
      removed_filters += static_cast<double>((channels - keep) * group.producers.size());
      for (const std::string& producer : group.producers)
        selection.layers.push_back({producer, channels, keep, ratio, group.blocked});
    }
  }
  selection.filters = static_cast<int64_t>(all_filters);
  if (all_filters > 0) {
    selection.requested = requested_filters / all_filters;
    selection.real = removed_filters / all_filters;
  }
  return selection;
}

}  // namespace stride::compress
