#include "stride/engine/step_timeline.h"

#include <algorithm>

#include "stride/core/error.h"

namespace stride {

void StepTimeline::record(size_t index, Clock::time_point start, Clock::time_point stop) {
  if (runs_.empty() || index >= steps_) fail("step {} timed outside a profiled run of {} steps", index, steps_);
  const auto ns = [](Clock::time_point t) {
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
  };
  runs_.back()[index] = {ns(start), ns(stop) - ns(start)};
}

std::vector<double> StepTimeline::mean_step_ms() const {
  std::vector<double> ms(steps_, 0.0);
  for (const auto& run : runs_)
    for (size_t i = 0; i < steps_; ++i) ms[i] += static_cast<double>(run[i].duration_ns) / 1e6;
  for (double& m : ms) m /= static_cast<double>(std::max<size_t>(runs_.size(), 1));
  return ms;
}

std::vector<double> StepTimeline::run_span_ms() const {
  std::vector<double> spans;
  for (const auto& run : runs_)
    spans.push_back(
        run.empty() ? 0.0
                    : static_cast<double>(run.back().start_ns + run.back().duration_ns - run.front().start_ns) / 1e6);
  return spans;
}

}  // namespace stride
