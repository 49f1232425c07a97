#include "stride/eval/gait_protocol.h"

#include <algorithm>

namespace stride::eval {
namespace {

std::string describe(const GaitProtocol& protocol) {
  std::string probes;
  for (const SequenceSet& p : protocol.probes) probes += (probes.empty() ? "" : ", ") + p.name;
  return fmt::format("gallery {}, probes {}", protocol.gallery.name, probes);
}

}  // namespace

const GaitProtocol& casia_b_protocol() {
  static const GaitProtocol protocol{
      "CASIA-B", {"NM#1-4", "nm", 1, 4}, {{"NM#5-6", "nm", 5, 6}, {"BG#1-2", "bg", 1, 2}, {"CL#1-2", "cl", 1, 2}}};
  return protocol;
}

const GaitProtocol& tum_gaid_protocol() {
  static const GaitProtocol protocol{
      "TUM-GAID", {"N1-N4", "n", 1, 4}, {{"N5-N6", "n", 5, 6}, {"B1-B2", "b", 1, 2}, {"S1-S2", "s", 1, 2}}};
  return protocol;
}

ProtocolRows protocol_rows(std::span<const GaitSample> samples, const GaitProtocol& protocol) {
  ProtocolRows rows;
  rows.probes.resize(protocol.probes.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    const GaitSample& s = samples[i];
    if (protocol.gallery.contains(s)) {
      rows.gallery.push_back(i);
      continue;
    }
    const auto probe = std::ranges::find_if(protocol.probes, [&s](const SequenceSet& p) { return p.contains(s); });
    if (probe == protocol.probes.end())
      fail("{} sample {} (subject {}, condition '{}', sequence {}, view {}) is in no set of the protocol ({})",
           protocol.dataset, i, s.subject, s.condition, s.sequence, s.view, describe(protocol));
    rows.probes[static_cast<size_t>(probe - protocol.probes.begin())].push_back(i);
  }
  if (rows.gallery.empty()) fail("{} evaluation has no gallery samples ({})", protocol.dataset, protocol.gallery.name);
  for (size_t p = 0; p < rows.probes.size(); ++p)
    if (rows.probes[p].empty())
      fail("{} evaluation has no samples for probe condition {}", protocol.dataset, protocol.probes[p].name);
  return rows;
}

int64_t count_correct(std::span<const GaitSample> samples, std::span<const size_t> probe_rows,
                      std::span<const int64_t> predicted) {
  if (predicted.size() != probe_rows.size())
    fail("{} predictions for {} probes: expected one each", predicted.size(), probe_rows.size());
  int64_t correct = 0;
  for (size_t i = 0; i < probe_rows.size(); ++i) correct += predicted[i] == samples[probe_rows[i]].subject;
  return correct;
}

double rank1_percent(std::span<const GaitSample> samples, std::span<const size_t> probe_rows,
                     std::span<const int64_t> predicted) {
  if (probe_rows.empty()) fail("rank-1 accuracy needs at least one probe");
  return 100.0 * static_cast<double>(count_correct(samples, probe_rows, predicted)) /
         static_cast<double>(probe_rows.size());
}

void require_one_row_per_sample(const Identifier& identifier, std::span<const GaitSample> samples) {
  if (identifier.rows() != static_cast<int64_t>(samples.size()))
    fail("the classifier covers {} rows but there are {} samples: expected one row per sample", identifier.rows(),
         samples.size());
}

}  // namespace stride::eval
