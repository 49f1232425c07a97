#pragma once
// Pruning ratios allocated by sensitivity (Balemans et al. 2024 prune each part by what it can bear): a
// table from `stride sensitivity --json` (each group's accuracy when pruned alone at a few ratios,
// measured on validation subjects) becomes one ratio per group such that every group loses at most
// the same accuracy and the filters removed reach the requested share. `stride prune --ratio R
// --by-sensitivity S.json`.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/compress/sensitivity.h"

namespace stride::compress {

struct SensitivityTable {
  Sensitivity sensitivity;
  std::string split;  // the subjects it was measured on
};

// `document` is what `stride sensitivity --json` wrote; throws stride::UsageError naming `source`
// and the field on anything else (no curves, ratios and accuracies of different lengths, ratios
// outside [0, 1)).
SensitivityTable sensitivity_table(const nlohmann::json& document, const std::string& source);

struct GroupRatio {
  std::string layers;   // the group's producers, joined by " + "
  std::string pattern;  // a --ratio-for glob matching the group's first producer alone
  int64_t channels = 0;
  double ratio = 0;     // share of its filters to remove
  double drop = 0;      // the accuracy it lost alone at that ratio (interpolated), in points
};

struct SensitivityAllocation {
  std::vector<GroupRatio> groups;
  double drop_bound = 0;  // every group's drop is at most this
};

// Each group's ratio is the largest at which its accuracy drop (linear between the measured ratios,
// and never decreasing with the ratio) stays within a bound common to all groups; the bound is the
// least at which the table's filters lose `ratio` of themselves. Throws stride::UsageError when even
// every group's largest measured ratio removes less.
SensitivityAllocation allocate_by_sensitivity(const Sensitivity& sensitivity, double ratio);

}  // namespace stride::compress
