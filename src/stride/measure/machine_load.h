#pragma once
// The machine's 1-minute load average (/proc/loadavg) beside each measurement, and how much of it
// is this process's own, so that `stride bench` can say when other work shared the cores with the
// timed runs.
#include <optional>

namespace stride {

struct LoadReading {
  double load_1min = 0;  // as /proc/loadavg gives it: the whole machine, this process included
  double own_share = 0;  // this process's estimated part of it
  // The load of everything else, at least 0.
  double others() const;
};

// Counts this process's CPU time from its construction on.
class MachineLoad {
 public:
  MachineLoad();
  // The load now; nullopt where /proc/loadavg cannot be read (not Linux, a sandbox without /proc).
  std::optional<LoadReading> read() const;

 private:
  double start_wall_s_ = 0;
  double start_cpu_s_ = 0;
};

}  // namespace stride
