#pragma once
// The TUM-GAID test protocol: gallery N1-N4, probes N5-N6 (normal), B1-B2 (backpack) and S1-S2
// (coating shoes); rank-1 accuracy per probe condition and their mean.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stride/eval/gait_sample.h"
#include "stride/eval/identifier.h"

namespace stride::eval {

struct TumGaidCondition {
  std::string probe_set;  // "N5-N6", "B1-B2", "S1-S2"
  int64_t probes = 0;
  int64_t correct = 0;
  double accuracy = 0;  // rank-1, %
};

struct TumGaidResult {
  std::vector<TumGaidCondition> conditions;
  double mean = 0;  // of the conditions' accuracies
};

// Evaluates the test samples (every one in some set of the protocol; the identifier has one row
// per sample). Throws stride::Error when the gallery or a probe condition has no samples.
TumGaidResult evaluate_tum_gaid(std::span<const GaitSample> samples, Identifier& identifier);

}  // namespace stride::eval
