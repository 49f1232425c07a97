#include "stride/eval/accuracy_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "stride/eval/gait_protocol.h"

namespace stride::eval {
namespace {

using Cells = std::vector<std::vector<std::string>>;

// First column left-aligned, the others right-aligned, each as wide as its widest cell.
std::string aligned(const Cells& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c)
      line += c == 0 ? fmt::format("{:<{}}", row[c], widths[c]) : fmt::format("  {:>{}}", row[c], widths[c]);
    out += line + "\n";
  }
  return out;
}

std::string percent(double value) { return fmt::format("{:.2f}", value); }

}  // namespace

std::string to_text(const CasiaBResult& result) {
  Cells cells;
  std::vector<std::string> header{"Probe \\ view"};
  for (const int view : result.views) header.push_back(std::to_string(view));
  header.push_back("Mean");
  cells.push_back(std::move(header));
  for (const CasiaBCondition& condition : result.conditions) {
    std::vector<std::string> row{condition.probe_set};
    for (const double a : condition.per_probe_view) row.push_back(percent(a));
    row.push_back(percent(condition.mean));
    cells.push_back(std::move(row));
  }
  return fmt::format("CASIA-B rank-1 accuracy (%), gallery {}; each probe view averaged over the other gallery views\n",
                     casia_b_protocol().gallery.name) +
         aligned(cells) + fmt::format("Mean of the probe conditions: {}\n", percent(result.mean));
}

std::string to_text(const TumGaidResult& result) {
  Cells cells{{"Probe", "Probes", "Correct", "Rank-1"}};
  for (const TumGaidCondition& c : result.conditions)
    cells.push_back({c.probe_set, std::to_string(c.probes), std::to_string(c.correct), percent(c.accuracy)});
  cells.push_back({"Mean", "", "", percent(result.mean)});
  return fmt::format("TUM-GAID rank-1 accuracy (%), gallery {}\n", tum_gaid_protocol().gallery.name) + aligned(cells);
}

nlohmann::json to_json(const CasiaBResult& result) {
  nlohmann::json conditions = nlohmann::json::array();
  for (const CasiaBCondition& c : result.conditions)
    conditions.push_back({{"probe_set", c.probe_set},
                          {"per_probe_view", c.per_probe_view},
                          {"mean", c.mean},
                          {"by_gallery_view", c.by_gallery_view}});
  return {{"dataset", "CASIA-B"},
          {"gallery", casia_b_protocol().gallery.name},
          {"metric", "rank-1 accuracy (%), identical views excluded"},
          {"views", result.views},
          {"conditions", conditions},
          {"mean", result.mean}};
}

nlohmann::json to_json(const TumGaidResult& result) {
  nlohmann::json conditions = nlohmann::json::array();
  for (const TumGaidCondition& c : result.conditions)
    conditions.push_back(
        {{"probe_set", c.probe_set}, {"probes", c.probes}, {"correct", c.correct}, {"rank1", c.accuracy}});
  return {{"dataset", "TUM-GAID"},
          {"gallery", tum_gaid_protocol().gallery.name},
          {"metric", "rank-1 accuracy (%)"},
          {"conditions", conditions},
          {"mean", result.mean}};
}

}  // namespace stride::eval
