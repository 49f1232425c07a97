#include "stride/compress/sensitivity.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "stride/compress/channel_removal.h"

namespace stride::compress {

Sensitivity analyse_sensitivity(const Graph& graph, const ChannelScores& scores, const std::vector<double>& ratios,
                                bool dense, const std::function<double(const Graph&)>& accuracy,
                                const std::function<void(size_t, size_t)>& progress) {
  for (double r : ratios)
    if (!(r >= 0 && r < 1)) fail("sensitivity ratios must be in [0, 1), got {}", r);
  const ChannelGroups groups = find_channel_groups(graph);
  std::vector<const ChannelGroup*> studied;
  for (const ChannelGroup& g : groups.groups)
    if (g.prunable() && g.channels > 1 && (dense || !g.dense)) studied.push_back(&g);
  if (studied.empty()) fail("the model has no prunable layer to analyse");

  const size_t total = 1 + studied.size() * ratios.size();
  size_t done = 0;
  Sensitivity result;
  result.baseline = accuracy(graph);
  if (progress) progress(++done, total);
  for (const ChannelGroup* g : studied) {
    SensitivityCurve curve{g->id, fmt::format("{}", fmt::join(g->producers, " + ")), g->channels, {}, {}, {}};
    const std::vector<double>& s = scores.at(g->id);
    std::vector<int64_t> order(g->channels);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return s[a] > s[b]; });
    for (double ratio : ratios) {
      const int64_t keep = std::max<int64_t>(1, g->channels - static_cast<int64_t>(ratio * double(g->channels)));
      std::vector<int64_t> kept(order.begin(), order.begin() + keep);
      std::sort(kept.begin(), kept.end());
      curve.ratios.push_back(ratio);
      curve.kept.push_back(keep);
      curve.accuracy.push_back(accuracy(remove_channels(graph, groups, {{g->id, kept}})));
      if (progress) progress(++done, total);
    }
    result.curves.push_back(std::move(curve));
  }
  return result;
}

}  // namespace stride::compress
