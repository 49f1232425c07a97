// `stride study`: the paper's experiments end to end (data → train → quantize / prune / convert →
// accuracy and time → report), each cell one `stride` command cached in the report folder, so a
// study that is interrupted resumes where it stopped.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "stride/cli/commands.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/error.h"
#include "stride/study/child_process.h"
#include "stride/study/study_report.h"

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

struct StudyArgs {
  std::string preset = "quick";
  std::vector<std::string> models;
  std::string output = "report";
  bool list = false;
  bool report_only = false;
};

// One line per cell. On a terminal the line of the running cell is redrawn every half second with
// its time so far and the last line of its log (an epoch, a progress bar); in a log file it is
// written once as the cell starts and once as it ends.
void print_progress(const study::RunProgress& p) {
  static const bool terminal = isatty(fileno(stdout));
  const std::string counter = fmt::format("[{:>{}}/{}]", p.index, std::to_string(p.total).size(), p.total);
  const std::string head = fmt::format("{} {}", counter, p.cell->title);
  if (!p.outcome && p.running_seconds < 0) {
    fmt::print("{} ... (ETA {}){}", head, clock_time(p.eta_seconds), terminal ? "" : "\n");
  } else if (!p.outcome) {
    if (!terminal) return;
    std::string said = study::last_line(p.log);
    if (said.size() > 70) said = said.substr(0, 67) + "...";
    fmt::print("\r\033[K{} {} | {}", head, clock_time(p.running_seconds), said);
  } else if (p.outcome->state == study::CellOutcome::State::computed) {
    if (terminal)
      fmt::print("\r\033[K{} done in {}\n", head, clock_time(p.outcome->seconds));
    else
      fmt::print("{} done in {}\n", counter, clock_time(p.outcome->seconds));
  } else if (p.outcome->state != study::CellOutcome::State::cached) {
    fmt::print("{}{} {}: {} — {}\n", terminal ? "\r\033[K" : "", counter, p.cell->id,
               study::state_name(p.outcome->state), p.outcome->message);
  }
  std::fflush(stdout);
}

void run_study(const StudyArgs& args) {
  study::StudyPreset preset = study::study_preset(args.preset);
  if (!args.models.empty()) study::keep_models(preset, args.models);
  const std::vector<study::CellSpec> cells = study::study_cells(preset);
  study::check_cells(cells);
  if (args.list) {
    for (const study::CellSpec& c : cells) fmt::print("{:<28} stride {}\n", c.id, fmt::join(c.args, " "));
    return;
  }
  const fs::path folder = args.output;
  const study::CellCache cache(folder / "cells");
  const auto start = std::chrono::steady_clock::now();
  fmt::print("study '{}' ({} cells) in {}; cells already complete there are reused\n", preset.name, cells.size(),
             folder.string());
  std::fflush(stdout);
  study::StudyRun run{preset, {}, 0};
  // Each cell runs this very binary: /proc/self/exe in the forked child names the running
  // executable even after a rebuild has replaced the file on disk.
  run.outcomes = study::run_cells(cells, cache, {"/proc/self/exe", print_progress, !args.report_only});
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const fs::path index = study::write_report(run, folder);
  size_t failed = 0, cached = 0;
  for (const auto& o : run.outcomes) {
    failed += o.state == study::CellOutcome::State::failed || o.state == study::CellOutcome::State::skipped;
    cached += o.state == study::CellOutcome::State::cached;
  }
  fmt::print("study finished in {} ({} of {} cells from the cache)\nreport: {}\n       {}\n       {}\n",
             clock_time(run.seconds), cached, cells.size(), index.string(), (folder / "tables.md").string(),
             (folder / "results.json").string());
  if (args.report_only) return;  // the cells not computed yet are expected
  if (failed) fail("{} of {} cells failed or were skipped; the report shows which and why", failed, cells.size());
}

}  // namespace

void add_study_command(CLI::App& app) {
  auto a = std::make_shared<StudyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "study", "Run the paper's experiments end to end and write a report (tables, plots, results.json)");
  cmd->add_option("--preset", a->preset,
                  "quick (minutes on 2 cores: small procedural sets, short training) or paper (the paper's protocol "
                  "on the larger sets)")
      ->capture_default_str();
  cmd->add_option("--models", a->models, "Models to study, comma-separated (default: cnn2d, cnn3d, gaitset)")
      ->delimiter(',');
  cmd->add_option("--output,-o", a->output, "Report folder; its cells/ subfolder caches every finished cell")
      ->capture_default_str();
  cmd->add_flag("--list", a->list, "List the cells and their commands, run nothing");
  cmd->add_flag("--report-only", a->report_only,
                "Write the report from the cells already finished, compute none (e.g. while a study runs)");
  cmd->footer(
      "Example:\n"
      "  stride study --preset quick -o report/          # then open report/index.html\n"
      "  stride study --preset paper --models cnn2d,gaitset -o paper-report/\n"
      "  stride study --preset quick --list              # the stride command behind every cell\n"
      "  stride study --preset paper -o paper-report/ --report-only   # the tables so far, nothing computed\n"
      "Interrupted (Ctrl-C, a crash, a reboot), the same command resumes: finished cells are not computed again.");
  cmd->callback([a] { run_study(*a); });
}

}  // namespace stride::cli
