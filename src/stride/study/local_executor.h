#pragma once
// Computes cells on this machine, up to `jobs` at a time. Cells side by side share the cores out
// (each pinned to its own, so that none is oversubscribed and "all cores" in a cell means its
// share); a cell that measures time, or that trains (its result depends on its thread count,
// study_cell.h), runs only when nothing else runs, with every core, and a timing cell's record says
// it ran alone. With one job, cells run in the study's order, the progress line
// redrawn with the running cell's log.
#include "stride/study/executor.h"

namespace stride::study {

class LocalExecutor : public Executor {
 public:
  explicit LocalExecutor(int jobs) : jobs_(jobs < 1 ? 1 : jobs) {}
  void compute(std::vector<CellTask>& tasks, const ExecutionContext& context) override;

 private:
  void one_at_a_time(std::vector<CellTask>& tasks, const ExecutionContext& context);
  int jobs_;
};

// The CPUs of slot `slot` when `cpus` are shared among `slots` cells: contiguous, as even as can be.
std::vector<int> cpu_share(const std::vector<int>& cpus, int slots, int slot);

}  // namespace stride::study
