#pragma once
// The study's results as the paper lays them out: one table per question, rows of text cells, and
// the notes a reader needs (what n/a means on this machine, which device the paper's figures are
// from). Built from the cells' JSON results; a cell that failed or did not run shows "-".
#include <string>
#include <vector>

#include "stride/study/cell_results.h"
#include "stride/study/study_plan.h"

namespace stride::study {

struct ReportTable {
  std::string id;     // anchor and JSON key: "table3", "table4", ...
  std::string title;  // "Table 3 — baseline: ..."
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> notes;
};

std::vector<ReportTable> study_tables(const StudyPreset& preset, const Outcomes& outcomes);

std::string to_markdown(const ReportTable& table);

}  // namespace stride::study
