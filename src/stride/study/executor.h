#pragma once
// Who computes a study's cells: here, one or several at a time (local_executor.h), or a cluster's
// scheduler, each cell one job (slurm_executor.h). The runner (study_runner.h) decides which cells
// are already in the cache; an executor gets the others, in an order that runs, and leaves each
// one computed, failed or skipped, its outcome saying why.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "stride/study/cell_cache.h"
#include "stride/study/study_cell.h"

namespace stride::study {

struct CellOutcome;
struct RunProgress;

// A cell this run computes.
struct CellTask {
  size_t index = 0;  // in the study, from 0
  const CellSpec* cell = nullptr;
  std::string key;
  std::vector<size_t> needs;       // the tasks (indices into the run's task list) whose files it reads
  CellOutcome* outcome = nullptr;  // folder and command already set; the executor sets the rest
  double estimated_seconds = 0;
};

struct ExecutionContext {
  const CellCache& cache;
  std::filesystem::path program;  // the `stride` binary each cell runs
  size_t total = 0;               // cells in the study, cached ones included
  std::function<void(const RunProgress&)> progress;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual void compute(std::vector<CellTask>& tasks, const ExecutionContext& context) = 0;
};

// Why `task` cannot run because a task it reads failed or was skipped; empty when it can.
std::string blocked_by(const CellTask& task, const std::vector<CellTask>& tasks);

}  // namespace stride::study
