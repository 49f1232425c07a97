#include "stride/eval/casia_b_evaluation.h"

#include <algorithm>
#include <numeric>

#include "stride/eval/gait_protocol.h"

namespace stride::eval {
namespace {

// `rows` split by view: [i] holds the rows whose view is views[i].
std::vector<std::vector<size_t>> rows_by_view(std::span<const GaitSample> samples, std::span<const size_t> rows,
                                              const std::vector<int>& views, const std::string& set_name) {
  std::vector<std::vector<size_t>> by_view(views.size());
  for (const size_t row : rows) {
    const auto view = std::ranges::find(views, samples[row].view);
    if (view == views.end())
      fail("CASIA-B sample {} ({} of subject {}) has view {}, which the gallery lacks", row, set_name,
           samples[row].subject, samples[row].view);
    by_view[static_cast<size_t>(view - views.begin())].push_back(row);
  }
  for (size_t v = 0; v < views.size(); ++v)
    if (by_view[v].empty()) fail("CASIA-B probe condition {} has no samples at view {}", set_name, views[v]);
  return by_view;
}

double mean(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

}  // namespace

CasiaBResult evaluate_casia_b(std::span<const GaitSample> samples, Identifier& identifier) {
  require_one_row_per_sample(identifier, samples);
  const GaitProtocol& protocol = casia_b_protocol();
  const ProtocolRows rows = protocol_rows(samples, protocol);

  CasiaBResult result;
  for (const size_t row : rows.gallery) result.views.push_back(samples[row].view);
  std::ranges::sort(result.views);
  result.views.erase(std::unique(result.views.begin(), result.views.end()), result.views.end());
  if (result.views.size() < 2)
    fail("CASIA-B evaluation needs at least two views, since a probe is never matched against its own view; got {}",
         result.views.size());
  const size_t view_count = result.views.size();
  const auto gallery = rows_by_view(samples, rows.gallery, result.views, protocol.gallery.name);

  std::vector<std::vector<std::vector<size_t>>> probes;  // [condition][probe view]
  for (size_t c = 0; c < protocol.probes.size(); ++c) {
    probes.push_back(rows_by_view(samples, rows.probes[c], result.views, protocol.probes[c].name));
    result.conditions.push_back({protocol.probes[c].name, std::vector(view_count, std::vector<double>(view_count)),
                                 {}, 0, static_cast<int64_t>(rows.probes[c].size())});
  }
  // Gallery view outermost: the identifier then enrolls each gallery once.
  for (size_t g = 0; g < view_count; ++g)
    for (size_t c = 0; c < probes.size(); ++c)
      for (size_t p = 0; p < view_count; ++p)
        result.conditions[c].by_gallery_view[p][g] =
            rank1_percent(samples, probes[c][p], identifier.identify(probes[c][p], gallery[g]));

  for (CasiaBCondition& condition : result.conditions) {
    for (size_t p = 0; p < view_count; ++p) {
      std::vector<double> other_views = condition.by_gallery_view[p];
      other_views.erase(other_views.begin() + static_cast<std::ptrdiff_t>(p));
      condition.per_probe_view.push_back(mean(other_views));
    }
    condition.mean = mean(condition.per_probe_view);
  }
  std::vector<double> condition_means;
  for (const CasiaBCondition& condition : result.conditions) condition_means.push_back(condition.mean);
  result.mean = mean(condition_means);
  return result;
}

}  // namespace stride::eval
