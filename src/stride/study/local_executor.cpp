#include "stride/study/local_executor.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "stride/study/cell_compute.h"
#include "stride/study/child_process.h"
#include "stride/study/study_runner.h"

namespace stride::study {
namespace {

// Scales the cells' estimates by how the cells computed so far compared with theirs, divided
// among the cells running side by side.
class EtaEstimate {
 public:
  EtaEstimate(const std::vector<CellTask>& tasks, int jobs) : jobs_(jobs) {
    for (const CellTask& t : tasks) remaining_ += t.estimated_seconds;
  }
  void done(const CellTask& task) {
    remaining_ -= task.estimated_seconds;
    if (task.outcome->state == CellOutcome::State::computed) {
      estimated_ += task.estimated_seconds;
      actual_ += task.outcome->seconds;
    }
  }
  double seconds() const { return std::max(0.0, remaining_) * (estimated_ > 0 ? actual_ / estimated_ : 1.0) / jobs_; }

 private:
  int jobs_;
  double remaining_ = 0, estimated_ = 0, actual_ = 0;
};

}  // namespace

std::vector<int> cpu_share(const std::vector<int>& cpus, int slots, int slot) {
  const size_t n = cpus.size(), s = static_cast<size_t>(slots), k = static_cast<size_t>(slot);
  return {cpus.begin() + static_cast<std::ptrdiff_t>(k * n / s),
          cpus.begin() + static_cast<std::ptrdiff_t>((k + 1) * n / s)};
}

void LocalExecutor::one_at_a_time(std::vector<CellTask>& tasks, const ExecutionContext& context) {
  EtaEstimate eta(tasks, 1);
  for (CellTask& task : tasks) {
    CellOutcome& outcome = *task.outcome;
    const std::string blocked = blocked_by(task, tasks);
    if (!blocked.empty()) {
      outcome.state = CellOutcome::State::skipped;
      outcome.message = blocked;
    } else {
      const RunProgress running{
          task.index + 1, context.total, task.cell, nullptr, eta.seconds(), -1, partial_log(outcome.folder)};
      if (context.progress) context.progress(running);
      compute_cell(task, context.cache, context.program, {"alone", {}}, [&](double seconds) {
        RunProgress now = running;
        now.running_seconds = seconds;
        if (context.progress) context.progress(now);
      });
    }
    eta.done(task);
    if (context.progress) context.progress({task.index + 1, context.total, task.cell, &outcome, eta.seconds(), -1, {}});
  }
}

void LocalExecutor::compute(std::vector<CellTask>& tasks, const ExecutionContext& context) {
  const std::vector<int> cpus = usable_cpus();
  const int slots = std::min<int>(jobs_, std::max<size_t>(1, cpus.size()));
  if (slots == 1) return one_at_a_time(tasks, context);

  enum class Stage { waiting, running, done };
  std::vector<Stage> stage(tasks.size(), Stage::waiting);
  std::vector<int> slot_of(tasks.size(), -1);
  std::vector<bool> slot_busy(static_cast<size_t>(slots), false);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<size_t> just_done;  // filled by the workers, emptied by this thread
  std::vector<std::jthread> workers;
  EtaEstimate eta(tasks, slots);
  int running = 0;
  bool alone_running = false;
  size_t left = tasks.size();

  auto start = [&](size_t i, std::vector<int> pinned, bool alone) {
    stage[i] = Stage::running;
    ++running;
    alone_running = alone;
    if (context.progress)
      context.progress({tasks[i].index + 1, context.total, tasks[i].cell, nullptr, eta.seconds(), -1, {}, true});
    workers.emplace_back([&, i, pinned = std::move(pinned)] {
      try {
        compute_cell(tasks[i], context.cache, context.program, {"alone", pinned});
      } catch (const std::exception& e) {
        tasks[i].outcome->state = CellOutcome::State::failed;
        tasks[i].outcome->message = e.what();
      }
      std::lock_guard lock(mutex);
      just_done.push_back(i);
      changed.notify_one();
    });
  };

  while (left > 0) {
    // Skip what can no longer run; start what can: ordinary cells side by side, a cell that runs
    // alone (it measures time, or trains with the study's thread count) only when no other cell runs
    // or is ready to.
    bool ordinary_ready = false;
    std::optional<size_t> alone_ready;
    for (size_t i = 0; i < tasks.size(); ++i) {
      if (stage[i] != Stage::waiting) continue;
      // Only the outcomes of finished cells are read: the others are being written by their workers.
      const bool ready =
          std::all_of(tasks[i].needs.begin(), tasks[i].needs.end(), [&](size_t n) { return stage[n] == Stage::done; });
      if (!ready) continue;
      if (const std::string blocked = blocked_by(tasks[i], tasks); !blocked.empty()) {
        tasks[i].outcome->state = CellOutcome::State::skipped;
        tasks[i].outcome->message = blocked;
        stage[i] = Stage::done;
        --left;
        eta.done(tasks[i]);
        if (context.progress)
          context.progress(
              {tasks[i].index + 1, context.total, tasks[i].cell, tasks[i].outcome, eta.seconds(), -1, {}, true});
        continue;
      }
      if (tasks[i].cell->runs_alone()) {
        if (!alone_ready) alone_ready = i;
        continue;
      }
      ordinary_ready = true;
      if (alone_running || running >= slots) continue;
      const int slot = static_cast<int>(std::find(slot_busy.begin(), slot_busy.end(), false) - slot_busy.begin());
      slot_busy[static_cast<size_t>(slot)] = true;
      slot_of[i] = slot;
      start(i, cpu_share(cpus, slots, slot), false);
    }
    if (alone_ready && !ordinary_ready && running == 0) start(*alone_ready, cpus, true);
    // The pass may have skipped the last cells (they read a failed one): then nothing is left to wait for.
    if (left == 0) break;
    if (running == 0 && !alone_ready && !ordinary_ready) break;  // cannot happen with a valid study

    std::vector<size_t> done;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return !just_done.empty(); });
      done.swap(just_done);
    }
    for (size_t i : done) {
      stage[i] = Stage::done;
      --running;
      --left;
      if (slot_of[i] >= 0) slot_busy[static_cast<size_t>(slot_of[i])] = false;
      if (tasks[i].cell->runs_alone()) alone_running = false;
      eta.done(tasks[i]);
      if (context.progress)
        context.progress(
            {tasks[i].index + 1, context.total, tasks[i].cell, tasks[i].outcome, eta.seconds(), -1, {}, true});
    }
  }
}

}  // namespace stride::study
