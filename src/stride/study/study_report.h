#pragma once
// The study's report, written into its folder: index.html (one self-contained page: the tables in
// the paper's layout, inline SVG plots, the machine, every cell's command), tables.md, and
// results.json (every cell's result, the tables and the figures' status, for other programs).
#include <filesystem>
#include <vector>

#include "stride/study/study_plan.h"
#include "stride/study/study_runner.h"

namespace stride::study {

struct StudyRun {
  StudyPreset preset;
  std::vector<CellOutcome> outcomes;
  double seconds = 0;  // this run's wall time
};

// Writes the three files (each atomically); returns the path of index.html.
std::filesystem::path write_report(const StudyRun& run, const std::filesystem::path& folder);

}  // namespace stride::study
