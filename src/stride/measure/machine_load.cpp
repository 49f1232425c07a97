#include "stride/measure/machine_load.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>

namespace stride {
namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// User and system time of every thread of this process.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * t.tv_usec; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

double LoadReading::others() const { return std::max(0.0, load_1min - own_share); }

MachineLoad::MachineLoad() : start_wall_s_(wall_seconds()), start_cpu_s_(cpu_seconds()) {}

std::optional<LoadReading> MachineLoad::read() const {
  std::ifstream file("/proc/loadavg");
  double load = 0;
  if (!(file >> load)) return std::nullopt;
  // Linux's 1-minute load average is an exponentially decaying average (time constant 60 s) of the
  // number of runnable threads. This process kept `busy` threads running on average since it began
  // counting, `elapsed` seconds ago, which lifts the average by about busy · (1 − e^(−elapsed/60)).
  const double elapsed = std::max(wall_seconds() - start_wall_s_, 1e-9);
  const double busy = (cpu_seconds() - start_cpu_s_) / elapsed;
  return LoadReading{load, std::min(load, busy * (1.0 - std::exp(-elapsed / 60.0)))};
}

}  // namespace stride
