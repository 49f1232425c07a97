#include "stride/eval/accuracy_report.h"

#include <fmt/format.h>

#include "stride/eval/gait_protocol.h"
#include "stride/report/accuracy_text.h"
#include "stride/report/text_table.h"

namespace stride::eval {
namespace {

// The first column names the row; the figures are right-aligned.
TextTable table_with_columns(const std::vector<std::string>& titles) {
  std::vector<TextTable::Column> columns;
  for (size_t c = 0; c < titles.size(); ++c)
    columns.push_back({titles[c], c == 0 ? TextTable::Align::left : TextTable::Align::right});
  return TextTable(std::move(columns));
}

std::string percent(double value) { return fmt::format("{:.2f}", value); }

}  // namespace

std::string to_text(const CasiaBResult& result) {
  std::vector<std::string> header{"Probe \\ view"};
  for (const int view : result.views) header.push_back(std::to_string(view));
  header.insert(header.end(), {"Mean", "Probes", "95 % CI"});
  TextTable table = table_with_columns(header);
  for (const CasiaBCondition& condition : result.conditions) {
    std::vector<std::string> row{condition.probe_set};
    for (const double a : condition.per_probe_view) row.push_back(percent(a));
    row.insert(row.end(), {percent(condition.mean), std::to_string(condition.probes),
                           interval_cell(condition.mean, condition.probes)});
    table.add_row(std::move(row));
  }
  return fmt::format("CASIA-B rank-1 accuracy (%), gallery {}; each probe view averaged over the other gallery views\n",
                     casia_b_protocol().gallery.name) +
         table.render() +
         fmt::format("Mean of the probe conditions: {}\n", mean_accuracy_text(result.mean, probe_count(result)));
}

std::string to_text(const TumGaidResult& result) {
  TextTable table = table_with_columns({"Probe", "Probes", "Correct", "Rank-1", "95 % CI"});
  for (const TumGaidCondition& c : result.conditions)
    table.add_row({c.probe_set, std::to_string(c.probes), std::to_string(c.correct), percent(c.accuracy),
                   interval_cell(c.accuracy, c.probes)});
  const int64_t probes = probe_count(result);
  table.add_row({"Mean", std::to_string(probes), "", percent(result.mean), interval_cell(result.mean, probes)});
  return fmt::format("TUM-GAID rank-1 accuracy (%), gallery {}\n", tum_gaid_protocol().gallery.name) + table.render();
}

int64_t probe_count(const CasiaBResult& result) {
  int64_t n = 0;
  for (const CasiaBCondition& c : result.conditions) n += c.probes;
  return n;
}

int64_t probe_count(const TumGaidResult& result) {
  int64_t n = 0;
  for (const TumGaidCondition& c : result.conditions) n += c.probes;
  return n;
}

nlohmann::json to_json(const CasiaBResult& result) {
  nlohmann::json conditions = nlohmann::json::array();
  for (const CasiaBCondition& c : result.conditions)
    conditions.push_back({{"probe_set", c.probe_set},
                          {"per_probe_view", c.per_probe_view},
                          {"mean", c.mean},
                          {"probes", c.probes},
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
