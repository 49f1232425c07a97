#pragma once
// The CASIA-B test protocol as GaitSet reports it: gallery NM#1-4, probes NM#5-6, BG#1-2 and
// CL#1-2. For every probe view and every gallery view, the probes of that view are matched against
// the gallery restricted to that view; a probe view's figure is the mean rank-1 accuracy over the
// gallery views other than itself, and a condition's mean is over the probe views.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "stride/eval/gait_sample.h"
#include "stride/eval/identifier.h"

namespace stride::eval {

struct CasiaBCondition {
  std::string probe_set;  // "NM#5-6", "BG#1-2", "CL#1-2"
  // Rank-1 accuracy (%) by [probe view][gallery view], identical views included.
  std::vector<std::vector<double>> by_gallery_view;
  // Rank-1 accuracy (%) per probe view: the mean of its row above without the identical view.
  std::vector<double> per_probe_view;
  double mean = 0;     // of per_probe_view
  int64_t probes = 0;  // probe recordings of the condition, all views
};

struct CasiaBResult {
  std::vector<int> views;  // ascending, in degrees: the columns of every per-view table
  std::vector<CasiaBCondition> conditions;
  double mean = 0;  // of the conditions' means
};

// Evaluates the test samples (every one in some set of the protocol; the identifier has one row
// per sample). Throws stride::Error when a set has no samples, when there are fewer than two
// views, or when a probe condition or the gallery lacks one of the views.
CasiaBResult evaluate_casia_b(std::span<const GaitSample> samples, Identifier& identifier);

}  // namespace stride::eval
