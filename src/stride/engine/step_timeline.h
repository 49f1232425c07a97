#pragma once
// When each step of a plan started and how long it took, over profiled runs: the one record that
// `stride bench --explain` averages per step and `stride bench --profile` writes out as a trace.
// Every engine with steps (onednn, xnnpack, ref) fills it the same way: a clock read just before
// and just after each step, nothing else inside the timed span.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stride {

// Whole nanoseconds, so that a trace made from them shows one step ending exactly where it ended,
// never rounded past the start of the next.
struct StepSpan {
  int64_t start_ns = 0;     // on the steady clock, since its epoch
  int64_t duration_ns = 0;  // >= 0
};

class StepTimeline {
 public:
  using Clock = std::chrono::steady_clock;

  explicit StepTimeline(size_t steps) : steps_(steps) {}

  // Opens the next profiled run; its steps are then timed with time_step.
  void start_run() { runs_.emplace_back(steps_); }
  // Runs `step` as step `index` of the current run and records its span.
  template <typename Step>
  void time_step(size_t index, Step&& step) {
    const Clock::time_point start = Clock::now();
    step();
    record(index, start, Clock::now());
  }

  size_t steps() const { return steps_; }
  // runs()[r][i]: step i of profiled run r.
  const std::vector<std::vector<StepSpan>>& runs() const { return runs_; }
  // Each step's mean time over the runs, in ms.
  std::vector<double> mean_step_ms() const;
  // Each run's span, from its first step's start to its last step's end, in ms: the steps plus
  // whatever the engine does between them.
  std::vector<double> run_span_ms() const;

 private:
  void record(size_t index, Clock::time_point start, Clock::time_point stop);

  size_t steps_;
  std::vector<std::vector<StepSpan>> runs_;
};

}  // namespace stride
