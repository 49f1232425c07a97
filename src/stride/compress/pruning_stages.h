#pragma once
// Staged schedules (Balemans et al. 2024: the 2-D backbone first, then the 3-D one): each stage prunes only the
// layers whose name matches its pattern, in steps that each keep a share of what is left of them,
// with whatever the caller runs after each step (fine-tuning) in between. `stride prune --stage`.
#include <string>
#include <vector>

#include "stride/compress/iterative_pruning.h"

namespace stride::compress {

struct PruningStage {
  std::string spec;     // as written, for messages
  std::string pattern;  // glob on a group's producers' names, e.g. "backbone2d/*"
  int steps = 1;
  double keep = 0.9;  // each step keeps this share of the remaining filters of the matching layers
  // The share of the matching layers' filters the whole stage removes: 1 − keep^steps.
  double ratio() const;
};

// "PATTERN:STEPSxKEEP" (spaces around x allowed), e.g. "backbone3d/*:12x0.9": 12 steps, each keeping
// 90 % of the remaining filters, so 0.9^12 = 28 % of them in the end. Throws stride::UsageError
// naming --stage on anything else, steps < 1 or KEEP outside (0, 1).
PruningStage parse_stage(const std::string& spec);

struct StagedPruning {
  // Criterion, selection options (normalize, round_to, …), samples, after_step, report and
  // allow_short as for one iterative prune; its ratios and steps are the stages'.
  IterativePruning base;
  std::vector<PruningStage> stages;
};

// Runs the stages in order, each an iterative prune with the geometric rule whose ratio is the
// stage's on its pattern and 0 elsewhere; the model's history gets one entry per stage. Throws
// stride::UsageError, before any step, when there is no stage or a pattern matches no prunable
// layer of `original`; then what prune_iteratively throws. `overall` compares the result with
// `original`, each layer requested the ratio of the first stage whose pattern it matches.
IterativePruneResult prune_in_stages(const Graph& original, const StagedPruning& request);

}  // namespace stride::compress
