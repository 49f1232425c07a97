#include "stride/study/study_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "stride/core/atomic_file.h"
#include "stride/measure/machine_info.h"
#include "stride/measure/result_header.h"
#include "stride/measure/unmeasured.h"
#include "stride/report/markup_escape.h"
#include "stride/study/study_figures.h"
#include "stride/study/study_tables.h"

namespace stride::study {
namespace fs = std::filesystem;
namespace {

using Json = nlohmann::json;

std::string machine_line(const MachineInfo& m) {
  return fmt::format("{}, {} logical cores, {}; SIMD: {}", m.cpu_model, m.logical_cores, m.kernel,
                     fmt::join(m.isa_flags, " "));
}

struct Tally {
  size_t computed = 0, cached = 0, failed = 0, skipped = 0;
  double cell_seconds = 0;
};
Tally tally(const std::vector<CellOutcome>& outcomes) {
  Tally t;
  for (const CellOutcome& o : outcomes) {
    switch (o.state) {
      case CellOutcome::State::computed:
        ++t.computed;
        break;
      case CellOutcome::State::cached:
        ++t.cached;
        break;
      case CellOutcome::State::failed:
        ++t.failed;
        break;
      case CellOutcome::State::skipped:
        ++t.skipped;
        break;
    }
    t.cell_seconds += o.seconds;
  }
  return t;
}

std::string summary(const StudyRun& run, const Tally& t) {
  return fmt::format(
      "{} cells: {} computed in this run, {} from the cache, {} failed, {} skipped; this run took {:.0f} s, the "
      "cells {:.0f} s when computed",
      run.outcomes.size(), t.computed, t.cached, t.failed, t.skipped, run.seconds, t.cell_seconds);
}

std::string html_table(const ReportTable& t) {
  std::string h = fmt::format("<h2 id=\"{}\">{}</h2>\n<table>\n<tr>", t.id, escape_markup(t.title));
  for (const std::string& c : t.header) h += "<th>" + escape_markup(c) + "</th>";
  h += "</tr>\n";
  for (const auto& row : t.rows) {
    h += "<tr>";
    for (const std::string& c : row) h += "<td>" + escape_markup(c) + "</td>";
    h += "</tr>\n";
  }
  h += "</table>\n";
  if (!t.notes.empty()) {
    h += "<ul class=\"notes\">";
    for (const std::string& n : t.notes) h += "<li>" + escape_markup(n) + "</li>";
    h += "</ul>\n";
  }
  return h;
}

std::string html_figure(const ReportFigure& f) {
  if (f.svg.empty())
    return fmt::format("<figure id=\"{}\"><p class=\"missing\">Not drawn: {}</p><figcaption>{}</figcaption></figure>\n",
                       f.id, escape_markup(f.not_drawn), escape_markup(f.caption));
  return fmt::format("<figure id=\"{}\">{}<figcaption>{}</figcaption></figure>\n", f.id, f.svg,
                     escape_markup(f.caption));
}

std::string html_cells(const std::vector<CellOutcome>& outcomes) {
  std::string h =
      "<details><summary>Every cell: its command (run in its folder) and state</summary>\n<table>\n"
      "<tr><th>cell</th><th>state</th><th>s</th><th>command</th></tr>\n";
  for (const CellOutcome& o : outcomes)
    h += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}{}</td><td>{:.1f}</td><td><code>stride {}</code></td></tr>\n",
                     state_name(o.state), escape_markup(o.id), state_name(o.state),
                     o.message.empty() ? "" : ": " + escape_markup(o.message), o.seconds,
                     escape_markup(fmt::format("{}", fmt::join(o.command, " "))));
  return h + "</table>\n</details>\n";
}

// A cell in results.json: its state, command and result, and where it ran (its record's machine
// and timing) when it ran.
Json cell_json(const CellOutcome& o) {
  Json j = {{"id", o.id},
            {"state", state_name(o.state)},
            {"compute_ms", 1000 * o.seconds},
            {"folder", o.folder.string()},
            {"command", o.command},
            {"message", o.message}};
  const bool ran = o.state == CellOutcome::State::computed || o.state == CellOutcome::State::cached;
  if (!o.result.is_null())
    j["result"] = o.result;
  else
    put_unmeasured(j, "result", ran ? "its command writes no JSON result" : fmt::format("the cell {}", state_name(o.state)));
  if (o.record.is_object() && o.record.contains("machine")) {
    j["machine"] = o.record.at("machine");
    if (o.record.contains("timing")) j["timing"] = o.record.at("timing");
  } else {
    put_unmeasured(j, "machine", fmt::format("no record of where it ran: the cell {}", state_name(o.state)));
  }
  return j;
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f2f2f2}"
    "td:first-child,td:nth-child(2){text-align:left}.notes{font-size:12px;color:#555}"
    "figure{display:inline-block;margin:1em 1em 1em 0;vertical-align:top}figcaption{font-size:12px;max-width:560px}"
    ".missing{border:1px dashed #aaa;padding:1em;width:480px}tr.failed td{background:#fdd}"
    "tr.skipped td{background:#ffe}code{font-size:11px}";

}  // namespace

fs::path write_report(const StudyRun& run, const fs::path& folder) {
  const Outcomes outcomes = index_outcomes(run.outcomes);
  const std::vector<ReportTable> tables = study_tables(run.preset, outcomes);
  const std::vector<ReportFigure> figures = study_figures(run.preset, outcomes);
  const MachineInfo machine = machine_info();
  const Tally counts = tally(run.outcomes);
  const std::string date = utc_timestamp();

  std::string md = fmt::format("# Stride study, preset {}\n\n{}\n\nMachine: {}\n\n{}\n", run.preset.name, date,
                               machine_line(machine), summary(run, counts));
  for (const ReportTable& t : tables) {
    md += '\n';
    md += to_markdown(t);
  }
  write_file_atomically(folder / "tables.md", md);

  Json j;
  j["preset"] = run.preset.name;
  j["run_ms"] = 1000 * run.seconds;
  for (const CellOutcome& o : run.outcomes) j["cells"].push_back(cell_json(o));
  for (const ReportTable& t : tables)
    j["tables"].push_back(
        {{"id", t.id}, {"title", t.title}, {"header", t.header}, {"rows", t.rows}, {"notes", t.notes}});
  for (const ReportFigure& f : figures)
    j["figures"].push_back(
        {{"id", f.id}, {"caption", f.caption}, {"drawn", !f.svg.empty()}, {"not_drawn", f.not_drawn}});
  // Threads: the cells' own, each in its record; the study gives them all this process's cores.
  write_file_atomically(folder / "results.json", result_document("study", 0, j).dump(2) + "\n");

  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stride study ({})</title>"
      "<style>{}</style></head><body>\n<h1>Stride study — preset {}</h1>\n<p>{}<br>Machine: {}<br>{}</p>\n"
      "<p>The paper: Ruiz-Barroso et al. (2022), <i>High performance inference of gait recognition models on "
      "embedded systems</i>. Its figures appear beside ours, labelled with its device; ours come from the "
      "procedural gait sets, not the real datasets.</p>\n",
      run.preset.name, kStyle, run.preset.name, date, escape_markup(machine_line(machine)),
      escape_markup(summary(run, counts)));
  for (const ReportTable& t : tables) html += html_table(t);
  html += "<h2 id=\"figures\">Figures</h2>\n";
  for (const ReportFigure& f : figures) html += html_figure(f);
  html += "<h2 id=\"cells\">Cells</h2>\n" + html_cells(run.outcomes) + "</body></html>\n";
  write_file_atomically(folder / "index.html", html);
  return folder / "index.html";
}

}  // namespace stride::study
