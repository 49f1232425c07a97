#include "stride/study/slurm_executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/core/interrupt.h"
#include "stride/study/cell_compute.h"
#include "stride/study/child_process.h"
#include "stride/study/slurm_commands.h"
#include "stride/study/study_runner.h"

namespace stride::study {
namespace fs = std::filesystem;
namespace {

constexpr const char* kJobsName = "jobs.json";

std::string file_stem(const std::string& cell_id) {
  std::string name = cell_id;
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

fs::path job_log(const fs::path& pattern, const std::string& job) {
  std::string text = pattern.string();
  if (const size_t at = text.find("%j"); at != std::string::npos) text.replace(at, 2, job);
  return text;
}

// Keeps the submission for `stride study --status`, merged with the earlier ones of this folder.
void record_submission(const SlurmOptions& o, const std::vector<CellTask>& tasks,
                       const std::map<size_t, std::string>& jobs) {
  const fs::path path = slurm_folder(o.folder) / kJobsName;
  nlohmann::json j = fs::exists(path) ? nlohmann::json::parse(read_file(path)) : nlohmann::json::object();
  j["study_arguments"] = o.study_arguments;
  for (const auto& [task, id] : jobs) {
    const std::string& cell = tasks[task].cell->id;
    j["jobs"][cell] = id;
    j["logs"][cell] = job_log(slurm_folder(o.folder) / (file_stem(cell) + "-%j.log"), id).string();
  }
  write_file_atomically(path, j.dump(2) + "\n");
}

}  // namespace

fs::path slurm_folder(const fs::path& study_folder) { return study_folder / "slurm"; }

SubmittedStudy read_submitted(const fs::path& study_folder) {
  const fs::path path = slurm_folder(study_folder) / kJobsName;
  if (!fs::exists(path)) fail("{}: no Slurm submission there (stride study --executor slurm writes it)", path.string());
  SubmittedStudy s;
  try {
    const nlohmann::json j = nlohmann::json::parse(read_file(path));
    s.study_arguments = j.at("study_arguments").get<std::vector<std::string>>();
    s.jobs = j.value("jobs", nlohmann::json::object()).get<std::map<std::string, std::string>>();
    s.logs = j.value("logs", nlohmann::json::object()).get<std::map<std::string, std::string>>();
  } catch (const nlohmann::json::exception& e) {
    fail("{}: not a Slurm submission record ({})", path.string(), e.what());
  }
  return s;
}

std::map<size_t, std::string> SlurmExecutor::submit(std::vector<CellTask>& tasks, const std::vector<bool>& todo) {
  const fs::path folder = slurm_folder(o_.folder);
  std::map<size_t, std::string> jobs;
  try {
    for (size_t i = 0; i < tasks.size(); ++i) {
      if (!todo[i]) continue;
      const CellTask& t = tasks[i];
      if (const auto live = live_.find(t.cell->id); live != live_.end()) {
        jobs[i] = live->second;
        continue;
      }
      std::vector<std::string> after_ok;
      for (size_t n : t.needs)
        if (const auto it = jobs.find(n); it != jobs.end()) after_ok.push_back(it->second);
      SlurmCellJob job{t.cell->id, t.cell->measures_time, t.cell->fixed_threads ? o_.training_threads : 0,
                       folder / (file_stem(t.cell->id) + "-%j.log"), {}};
      job.command = {o_.program.string(), "study", "--run-cell", t.cell->id};
      job.command.insert(job.command.end(), o_.study_arguments.begin(), o_.study_arguments.end());
      job.command.insert(job.command.end(),
                         {"-o", o_.folder.string(), "--timing-node", o_.job.exclusive_timing ? "exclusive" : "shared"});
      const fs::path script = folder / (file_stem(t.cell->id) + ".sh");
      write_file_atomically(script, sbatch_script(job, o_.job));
      jobs[i] = submit_job(script, after_ok, folder);
    }
  } catch (...) {
    // Half a study in the queue helps no one: what was submitted goes.
    std::vector<std::string> ids;
    for (const auto& [_, id] : jobs) ids.push_back(id);
    cancel_jobs(ids, folder);
    throw;
  }
  record_submission(o_, tasks, jobs);
  return jobs;
}

void SlurmExecutor::wait(std::vector<CellTask>& tasks, const std::map<size_t, std::string>& jobs,
                         const ExecutionContext& context) {
  const fs::path folder = slurm_folder(o_.folder);
  std::map<size_t, std::string> open = jobs;
  GracefulInterrupt interrupt;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const std::map<std::string, std::string> states = job_states(folder);
    SlurmProgress p;
    p.total = tasks.size();
    for (auto it = open.begin(); it != open.end();) {
      const auto [i, id] = *it;
      const auto state = states.find(id);
      if (state != states.end() && job_is_live(state->second)) {
        (state->second == "PENDING" ? p.pending : p.running) += 1;
        ++it;
        continue;
      }
      // Ended: the cache says whether the cell was computed, whatever Slurm still remembers.
      CellOutcome& outcome = *tasks[i].outcome;
      const std::string how = state != states.end() ? state->second : "ended";
      if (auto record = context.cache.record(outcome.folder)) {
        outcome.state = CellOutcome::State::computed;
        outcome.seconds = record->value("seconds", 0.0);
        outcome.record = std::move(*record);
        outcome.result = read_cell_result(outcome.folder);
      } else if (std::string blocked = blocked_by(tasks[i], tasks); !blocked.empty()) {
        outcome.state = CellOutcome::State::skipped;
        outcome.message = fmt::format("{} (Slurm job {} {})", blocked, id, how);
      } else {
        const fs::path log = job_log(folder / (file_stem(tasks[i].cell->id) + "-%j.log"), id);
        outcome.state = CellOutcome::State::failed;
        outcome.message = fmt::format("Slurm job {} {}: {} (log: {})", id, how, last_line(log), log.string());
      }
      if (context.progress)
        context.progress({tasks[i].index + 1, context.total, tasks[i].cell, &outcome, 0, -1, {}, true});
      it = open.erase(it);
    }
    for (const CellTask& t : tasks) {
      p.done += t.outcome->state == CellOutcome::State::computed && !t.outcome->record.is_null();
      p.failed += t.outcome->state == CellOutcome::State::failed || t.outcome->state == CellOutcome::State::skipped;
    }
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o_.on_poll) o_.on_poll(p);
    if (open.empty()) return;
    for (double slept = 0; slept < o_.poll_seconds && !interrupt.requested(); slept += 0.1)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (interrupt.requested()) {
      std::vector<std::string> ids;
      for (const auto& [_, id] : open) ids.push_back(id);
      cancel_jobs(ids, folder);
      fail("interrupted: cancelled {} Slurm jobs of the study ({}); the cells already finished stay in the cache",
           ids.size(), fmt::join(ids, ","));
    }
  }
}

void SlurmExecutor::compute(std::vector<CellTask>& tasks, const ExecutionContext& context) {
  fs::create_directories(slurm_folder(o_.folder));
  if (fs::exists(slurm_folder(o_.folder) / kJobsName)) {
    const SubmittedStudy before = read_submitted(o_.folder);
    const std::map<std::string, std::string> states = job_states(slurm_folder(o_.folder));
    for (const auto& [cell, job] : before.jobs)
      if (const auto s = states.find(job); s != states.end() && job_is_live(s->second)) live_[cell] = job;
  }
  std::vector<bool> todo(tasks.size(), true);
  for (int round = 0; round < (o_.retry ? 2 : 1); ++round) {
    const std::map<size_t, std::string> jobs = submit(tasks, todo);
    if (o_.detach) {
      for (const auto& [i, id] : jobs) {
        tasks[i].outcome->state = CellOutcome::State::skipped;
        tasks[i].outcome->message = "submitted as Slurm job " + id;
      }
      return;
    }
    wait(tasks, jobs, context);
    live_.clear();
    // Once more: each failed cell, and the cells skipped because of it.
    size_t again = 0;
    for (size_t i = 0; i < tasks.size(); ++i) {
      const CellOutcome& o = *tasks[i].outcome;
      todo[i] = o.state == CellOutcome::State::failed || o.state == CellOutcome::State::skipped;
      again += todo[i];
    }
    if (again == 0) return;
    if (round + 1 < (o_.retry ? 2 : 1))
      for (size_t i = 0; i < tasks.size(); ++i)
        if (todo[i]) {
          tasks[i].outcome->state = CellOutcome::State::computed;
          tasks[i].outcome->message.clear();
        }
  }
}

}  // namespace stride::study
