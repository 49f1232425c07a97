#pragma once
// Open-set identification figures (ISO/IEC 19795-1; NIST FRVT 1:N), from the candidate lists of
// searches against a gallery of N persons:
//   FPIR(T)  share of non-mated searches (the searcher is not enrolled) returning any candidate
//            with score >= T: with candidates ranked best first, top-1 score >= T;
//   FNIR(T)  share of mated searches (the searcher is enrolled) whose mate is not at rank 1 with
//            score >= T;  DIR(T) = 1 − FNIR(T);
//   closed-set rank-1 = DIR at T = −∞ (the mate ranked first, whatever the score).
// The threshold for a target FPIR x is set on non-mated top-1 scores. It is measurable only with at
// least 1/x non-mated searches: below that, no false positive can be allowed and the figure would
// say nothing about x.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stride/gallery/template_index.h"

namespace stride::gallery {

struct Search {
  std::string mate;                   // the searcher's label in the gallery; empty for a non-mated search
  std::vector<Candidate> candidates;  // best first
};

double fpir(std::span<const Search> non_mated, double threshold);
double fnir(std::span<const Search> mated, double threshold);
double closed_set_rank1(std::span<const Search> mated);

// The lowest threshold T with FPIR(T) <= `target` (0 < target < 1) on `non_mated`: just above the
// (⌊target·n⌋ + 1)-th highest top-1 score. Throws stride::Error without non-mated searches.
double threshold_for_fpir(std::span<const Search> non_mated, double target);

struct DirAtFpir {
  double target_fpir = 0;
  bool measurable = false;  // enough calibration searches (at least 1/target)
  double threshold = 0;
  double dir = 0;   // on the mated searches
  double fpir = 0;  // realised on the evaluation's non-mated searches
};

// DIR at `target` FPIR: the threshold set on `calibration` (non-mated searches of subjects held
// out), DIR measured on `mated` and FPIR on `non_mated` (other held-out subjects).
DirAtFpir dir_at_fpir(std::span<const Search> mated, std::span<const Search> calibration,
                      std::span<const Search> non_mated, double target);

}  // namespace stride::gallery
