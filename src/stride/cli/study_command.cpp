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
#include "stride/core/atomic_file.h"
#include "stride/core/cpu_count.h"
#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/study/cell_compute.h"
#include "stride/study/child_process.h"
#include "stride/study/local_executor.h"
#include "stride/study/slurm_commands.h"
#include "stride/study/slurm_executor.h"
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
  std::string executor = "local";
  int jobs = 1;
  study::SlurmJobOptions slurm;
  std::string slurm_args;
  bool shared_timing = false;
  bool detach = false;
  bool retry = false;
  std::string status;    // --status DIR
  std::string run_cell;  // --run-cell ID: what a Slurm job runs
  std::string timing_node = "exclusive";
  int train_threads = 0;  // 0 until resolved by resolve_train_threads
};

// Training cells run with one thread count wherever they run (study_cell.h): the one asked for, or
// every core a local study may use, or the CPUs each Slurm job gets.
StudyArgs resolve_train_threads(StudyArgs a) {
  if (a.train_threads == 0)
    a.train_threads = a.executor == "slurm" && a.slurm.cpus_per_cell > 0 ? a.slurm.cpus_per_cell : usable_cores();
  return a;
}

// The arguments that pick the study's cells: what a Slurm job needs to find its cell again.
std::vector<std::string> study_arguments(const StudyArgs& a) {
  std::vector<std::string> args = {"--preset", a.preset, "--train-threads", std::to_string(a.train_threads)};
  if (!a.models.empty()) args.insert(args.end(), {"--models", fmt::format("{}", fmt::join(a.models, ","))});
  return args;
}

std::vector<study::CellSpec> cells_of(const StudyArgs& args, study::StudyPreset& preset) {
  preset = study::study_preset(args.preset);
  if (!args.models.empty()) study::keep_models(preset, args.models);
  preset.training_threads = args.train_threads;
  std::vector<study::CellSpec> cells = study::study_cells(preset);
  study::check_cells(cells);
  return cells;
}

// The running binary's own path: a Slurm job on another node runs the same file (a shared folder).
fs::path this_program() { return fs::read_symlink("/proc/self/exe"); }

// One line per cell. On a terminal the line of the running cell is redrawn every half second with
// its time so far and the last line of its log (an epoch, a progress bar); in a log file it is
// written once as the cell starts and once as it ends.
void print_progress(const study::RunProgress& p) {
  static const bool terminal = isatty(fileno(stdout));
  const std::string counter = fmt::format("[{:>{}}/{}]", p.index, std::to_string(p.total).size(), p.total);
  const std::string head = fmt::format("{} {}", counter, p.cell->title);
  if (p.side_by_side) {  // cells side by side, or jobs on a cluster: one whole line per event
    if (!p.outcome)
      fmt::print("{} ... started{}\n", head,
                 p.cell->measures_time   ? " (alone: it measures time)"
                 : p.cell->fixed_threads ? " (alone: it trains with the study's thread count)"
                                         : "");
    else if (p.outcome->state == study::CellOutcome::State::computed)
      fmt::print("{} done in {}\n", head, clock_time(p.outcome->seconds));
    else
      fmt::print("{} {}: {} — {}\n", counter, p.cell->id, study::state_name(p.outcome->state), p.outcome->message);
    std::fflush(stdout);
    return;
  }
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

// The Slurm jobs' counts, redrawn in place on a terminal, a line per change in a log.
void print_slurm_progress(const study::SlurmProgress& p) {
  static const bool terminal = isatty(fileno(stdout));
  static std::string last;
  const std::string counts = fmt::format("Slurm: {}/{} cells done, {} running, {} pending, {} failed", p.done, p.total,
                                         p.running, p.pending, p.failed);
  if (terminal)
    fmt::print("\r\033[K{} | {}", counts, clock_time(p.seconds));
  else if (counts != last)
    fmt::print("{} ({})\n", counts, clock_time(p.seconds));
  last = counts;
  std::fflush(stdout);
}

std::unique_ptr<study::Executor> make_executor(const StudyArgs& args, const fs::path& folder) {
  if (args.executor == "local") return std::make_unique<study::LocalExecutor>(args.jobs);
  study::SlurmOptions o;
  o.job = args.slurm;
  o.job.extra = study::split_words(args.slurm_args);
  o.job.exclusive_timing = !args.shared_timing;
  o.folder = fs::absolute(folder);
  o.program = this_program();
  o.study_arguments = study_arguments(args);
  o.training_threads = args.train_threads;
  o.detach = args.detach;
  o.retry = args.retry;
  o.on_poll = print_slurm_progress;
  return std::make_unique<study::SlurmExecutor>(std::move(o));
}

// What a Slurm job runs: the one cell, into the shared cache; the cell's log is copied into the
// job's output when it fails, so that the Slurm log says why.
void run_one_cell(const StudyArgs& args) {
  study::StudyPreset preset;
  const std::vector<study::CellSpec> cells = cells_of(args, preset);
  const study::CellCache cache(fs::path(args.output) / "cells");
  const study::CellOutcome o = study::run_single_cell(
      cells, cache, args.run_cell, this_program(), args.timing_node == "exclusive" ? "exclusive node" : "shared node");
  if (o.state == study::CellOutcome::State::cached) {
    fmt::print("cell {} is already complete in {}\n", o.id, o.folder.string());
  } else if (o.state == study::CellOutcome::State::computed) {
    fmt::print("cell {} computed in {} on {}: {}\n", o.id, clock_time(o.seconds),
               o.record["machine"].value("host", "?"), o.folder.string());
  } else {
    const fs::path log = study::partial_log(o.folder);
    if (fs::exists(log)) fmt::print("--- {} ---\n{}\n---\n", log.string(), read_file(log));
    fail("cell {} failed: {}", o.id, o.message);
  }
}

void write_and_summarize(const study::StudyRun& run, const fs::path& folder, size_t cells) {
  const fs::path index = study::write_report(run, folder);
  size_t cached = 0;
  for (const auto& o : run.outcomes) cached += o.state == study::CellOutcome::State::cached;
  fmt::print("study finished in {} ({} of {} cells from the cache)\nreport: {}\n       {}\n       {}\n",
             clock_time(run.seconds), cached, cells, index.string(), (folder / "tables.md").string(),
             (folder / "results.json").string());
}

// `--status DIR`: where a detached Slurm study stands; once no job is left, its report.
void study_status(const std::string& dir) {
  const fs::path folder = dir;
  const study::SubmittedStudy submitted = study::read_submitted(folder);
  StudyArgs args;
  CLI::App parse;
  parse.add_option("--preset", args.preset);
  parse.add_option("--models", args.models)->delimiter(',');
  parse.add_option("--train-threads", args.train_threads);
  std::vector<std::string> reversed(submitted.study_arguments.rbegin(), submitted.study_arguments.rend());
  parse.parse(reversed);
  study::StudyRun run{study::StudyPreset{}, {}, 0};
  const std::vector<study::CellSpec> cells = cells_of(args, run.preset);
  run.outcomes = study::run_cells(cells, study::CellCache(folder / "cells"), {{}, {}, false});
  const std::map<std::string, std::string> states = study::job_states(study::slurm_folder(folder));
  size_t complete = 0, live = 0;
  for (const study::CellOutcome& o : run.outcomes) {
    if (o.state == study::CellOutcome::State::cached) {
      ++complete;
      continue;
    }
    const auto job = submitted.jobs.find(o.id);
    if (job == submitted.jobs.end()) {
      fmt::print("{:<32} not submitted\n", o.id);
      continue;
    }
    const auto state = states.find(job->second);
    const std::string how = state == states.end() ? "ENDED" : state->second;
    live += state != states.end() && study::job_is_live(how);
    fmt::print("{:<32} job {} {}{}\n", o.id, job->second, how,
               study::job_is_live(how) ? "" : fmt::format(" — log: {}", submitted.logs.at(o.id)));
  }
  fmt::print("{} of {} cells complete, {} jobs still queued or running\n", complete, cells.size(), live);
  if (live == 0) write_and_summarize(run, folder, cells.size());
}

void run_study(const StudyArgs& given) {
  const StudyArgs args = resolve_train_threads(given);
  if (!args.run_cell.empty()) return run_one_cell(args);
  if (!args.status.empty()) return study_status(args.status);
  if (args.executor == "local" && (args.detach || args.retry))
    usage_fail("--detach and --retry are for --executor slurm (a local study resumes by running it again)");
  if (args.executor == "slurm" && args.jobs != 1)
    usage_fail("--jobs is for --executor local: on Slurm every cell is a job of its own (see --cpus-per-cell)");
  study::StudyRun run{study::StudyPreset{}, {}, 0};
  const std::vector<study::CellSpec> cells = cells_of(args, run.preset);
  if (args.list) {
    for (const study::CellSpec& c : cells) fmt::print("{:<28} stride {}\n", c.id, fmt::join(c.args, " "));
    return;
  }
  const fs::path folder = args.output;
  const study::CellCache cache(folder / "cells");
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<study::Executor> executor = make_executor(args, folder);
  fmt::print("study '{}' ({} cells) in {}, {}; cells already complete there are reused\n", run.preset.name,
             cells.size(), folder.string(),
             args.executor == "slurm" ? std::string("each cell a Slurm job")
                                      : fmt::format("{} cell(s) at a time on this machine", args.jobs));
  std::fflush(stdout);
  // Locally, each cell runs this very binary: /proc/self/exe in the forked child names the running
  // executable even after a rebuild has replaced the file on disk.
  run.outcomes = study::run_cells(cells, cache, {"/proc/self/exe", print_progress, !args.report_only, executor.get()});
  if (args.executor == "slurm" && isatty(fileno(stdout))) fmt::print("\n");
  if (args.detach && !args.report_only) {
    size_t submitted = 0;
    for (const auto& o : run.outcomes) submitted += o.message.starts_with("submitted as Slurm job");
    fmt::print("{} cells submitted as Slurm jobs; follow them with: stride study --status {}\n", submitted,
               folder.string());
    return;
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_and_summarize(run, folder, cells.size());
  if (args.report_only) return;  // the cells not computed yet are expected
  size_t failed = 0;
  for (const auto& o : run.outcomes)
    failed += o.state == study::CellOutcome::State::failed || o.state == study::CellOutcome::State::skipped;
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
  cmd->add_option("--executor", a->executor,
                  "local: cells on this machine; slurm: each cell a Slurm job (the output folder must be shared "
                  "with the nodes)")
      ->check(CLI::IsMember({"local", "slurm"}))
      ->capture_default_str();
  cmd->add_option("--jobs,-j", a->jobs,
                  "local: cells side by side, the cores shared out among them (cells that measure time or "
                  "train always run alone)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--train-threads", a->train_threads,
                  "Threads of every cell that trains (a model trained with 1 and 2 threads differs, so this is "
                  "fixed per study and part of those cells' cache keys; training cells never run side by side). "
                  "Default: the cores this process may use, or --cpus-per-cell on Slurm")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--partition", a->slurm.partition, "slurm: the partition of every job");
  cmd->add_option("--account", a->slurm.account, "slurm: the account charged");
  cmd->add_option("--time", a->slurm.time, "slurm: the time limit of each job (e.g. 2:00:00)");
  cmd->add_option("--cpus-per-cell", a->slurm.cpus_per_cell, "slurm: CPUs of each job (--cpus-per-task)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--mem", a->slurm.mem, "slurm: memory of each job (e.g. 8G)");
  cmd->add_option(
      "--slurm-args", a->slurm_args,
      "slurm: more sbatch options for every job, space-separated (e.g. \"--qos=long --constraint=avx512\")");
  cmd->add_flag("--shared-timing", a->shared_timing,
                "slurm: timing cells do not ask for a whole node (--exclusive); the report marks their times as "
                "measured on a shared node");
  cmd->add_flag("--detach", a->detach, "slurm: submit the jobs and return; see --status");
  cmd->add_flag("--retry", a->retry, "slurm: submit a failed job's cell (and the cells after it) once more");
  cmd->add_option("--status", a->status,
                  "Where the Slurm jobs of the study in this folder stand; once none is left, write its report");
  cmd->add_option("--run-cell", a->run_cell, "Compute the one cell with this id (what each Slurm job runs)")->group("");
  cmd->add_option("--timing-node", a->timing_node)->check(CLI::IsMember({"exclusive", "shared"}))->group("");
  cmd->footer(
      "Example:\n"
      "  stride study --preset quick -o report/          # then open report/index.html\n"
      "  stride study --preset paper --models cnn2d,gaitset -o paper-report/\n"
      "  stride study --preset quick --list              # the stride command behind every cell\n"
      "  stride study --preset paper -o paper-report/ --report-only   # the tables so far, nothing computed\n"
      "  stride study --preset quick --jobs 2 -o report/  # two cells at a time\n"
      "  stride study --preset paper --executor slurm --partition cpu --time 4:00:00 --cpus-per-cell 8 \\\n"
      "      -o /shared/paper-report/ --retry               # each cell a Slurm job (docs/study.md)\n"
      "Interrupted (Ctrl-C, a crash, a reboot), the same command resumes: finished cells are not computed again.");
  cmd->callback([a] { run_study(*a); });
}

}  // namespace stride::cli
