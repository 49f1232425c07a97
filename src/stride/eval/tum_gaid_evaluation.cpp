#include "stride/eval/tum_gaid_evaluation.h"

#include "stride/eval/gait_protocol.h"

namespace stride::eval {

TumGaidResult evaluate_tum_gaid(std::span<const GaitSample> samples, Identifier& identifier) {
  require_one_row_per_sample(identifier, samples);
  const GaitProtocol& protocol = tum_gaid_protocol();
  const ProtocolRows rows = protocol_rows(samples, protocol);

  TumGaidResult result;
  for (size_t c = 0; c < protocol.probes.size(); ++c) {
    const auto& probe_rows = rows.probes[c];
    const auto probes = static_cast<int64_t>(probe_rows.size());
    const int64_t correct = count_correct(samples, probe_rows, identifier.identify(probe_rows, rows.gallery));
    const double accuracy = 100.0 * static_cast<double>(correct) / static_cast<double>(probes);
    result.conditions.push_back({protocol.probes[c].name, probes, correct, accuracy});
    result.mean += accuracy / static_cast<double>(protocol.probes.size());
  }
  return result;
}

}  // namespace stride::eval
