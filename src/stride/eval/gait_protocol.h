#pragma once
// The gallery/probe protocols of the gait datasets: which recordings are
// enrolled in the gallery and which are probed against it.
#include <span>
#include <string>
#include <vector>

#include "stride/eval/gait_sample.h"
#include "stride/eval/identifier.h"

namespace stride::eval {

// The recordings of one condition with sequence numbers in [first_sequence, last_sequence].
struct SequenceSet {
  std::string name;       // as the literature writes it: "NM#5-6", "B1-B2"
  std::string condition;  // the dataset's code, see GaitSample
  int first_sequence = 0;
  int last_sequence = 0;

  bool contains(const GaitSample& sample) const {
    return sample.condition == condition && sample.sequence >= first_sequence && sample.sequence <= last_sequence;
  }
};

struct GaitProtocol {
  std::string dataset;
  SequenceSet gallery;
  std::vector<SequenceSet> probes;
};

// Gallery NM#1-4; probes NM#5-6, BG#1-2, CL#1-2.
const GaitProtocol& casia_b_protocol();
// Gallery N1-N4; probes N5-N6, B1-B2, S1-S2.
const GaitProtocol& tum_gaid_protocol();

// The sample rows of the gallery and of each probe set, in sample order.
struct ProtocolRows {
  std::vector<size_t> gallery;
  std::vector<std::vector<size_t>> probes;  // parallel to GaitProtocol::probes
};

// Throws stride::Error naming the first sample that belongs to no set of the protocol, and when
// the gallery or a probe set has no samples.
ProtocolRows protocol_rows(std::span<const GaitSample> samples, const GaitProtocol& protocol);

// How many of `probe_rows` were predicted (predicted[i] for probe_rows[i]) as their own subject.
int64_t count_correct(std::span<const GaitSample> samples, std::span<const size_t> probe_rows,
                      std::span<const int64_t> predicted);
// The same as a rank-1 accuracy in percent; throws stride::Error when there are no probes.
double rank1_percent(std::span<const GaitSample> samples, std::span<const size_t> probe_rows,
                     std::span<const int64_t> predicted);

// Throws stride::Error unless `identifier` has one row per sample.
void require_one_row_per_sample(const Identifier& identifier, std::span<const GaitSample> samples);

}  // namespace stride::eval
