#pragma once
// Computes a study's cells as Slurm jobs: each pending cell one job running
// `stride study --run-cell ID` into the study folder, which every node must share; a cell that
// reads another's files waits for that job (afterok). Then it watches the jobs until all have
// ended (or returns at once with `detach`, the job ids kept in <folder>/slurm/jobs.json for
// `stride study --status`). What a job computed is read back from the cell cache, so the report is
// the one a local run writes. A failed job's cell is shown with its Slurm log and, with `retry`,
// submitted once more with the cells after it. Ctrl-C cancels the study's jobs.
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/study/executor.h"
#include "stride/study/sbatch_script.h"

namespace stride::study {

struct SlurmProgress {
  size_t done = 0, failed = 0, running = 0, pending = 0, total = 0;
  double seconds = 0;  // since the jobs were submitted
};

struct SlurmOptions {
  SlurmJobOptions job;
  std::filesystem::path folder;              // the study's folder (absolute), shared with the nodes
  std::filesystem::path program;             // the `stride` binary the nodes run (same path there)
  std::vector<std::string> study_arguments;  // what picks the study: --preset P [--models M] --train-threads T
  int training_threads = 1;                  // the CPUs a training cell's job asks for (study_cell.h)
  bool detach = false;
  bool retry = false;
  double poll_seconds = 5;
  std::function<void(const SlurmProgress&)> on_poll;
};

class SlurmExecutor : public Executor {
 public:
  explicit SlurmExecutor(SlurmOptions options) : o_(std::move(options)) {}
  void compute(std::vector<CellTask>& tasks, const ExecutionContext& context) override;

 private:
  // Submits every task not yet ended or blocked; returns the job ids by task.
  std::map<size_t, std::string> submit(std::vector<CellTask>& tasks, const std::vector<bool>& todo);
  // Waits for `jobs`; sets each task's outcome from the cache as its job ends.
  void wait(std::vector<CellTask>& tasks, const std::map<size_t, std::string>& jobs, const ExecutionContext& context);
  SlurmOptions o_;
  std::map<std::string, std::string> live_;  // cell id → its job from an earlier submission, still queued or running
};

// <folder>/slurm: the job scripts, their Slurm logs and jobs.json.
std::filesystem::path slurm_folder(const std::filesystem::path& study_folder);

// What `stride study --status` reads: the study arguments and {cell id: job id} of the last submission.
struct SubmittedStudy {
  std::vector<std::string> study_arguments;
  std::map<std::string, std::string> jobs;
  std::map<std::string, std::string> logs;  // cell id → Slurm log of its job
};
// Throws stride::Error when the folder holds no submission.
SubmittedStudy read_submitted(const std::filesystem::path& study_folder);

}  // namespace stride::study
