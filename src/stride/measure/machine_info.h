#pragma once
// A description of the machine a measurement was taken on, recorded beside every result.
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace stride {

struct MachineInfo {
  std::string cpu_model;
  // The CPU's identity below its marketing name, which several steppings share: x86's family, model
  // and stepping; on ARM the architecture, part number and revision. Absent where /proc/cpuinfo
  // does not say.
  std::optional<int> cpu_family;
  std::optional<int> cpu_model_number;
  std::optional<int> cpu_stepping;
  std::optional<double> mhz;  // the first core's current clock (x86's "cpu MHz", else cpufreq)
  int logical_cores = 0;
  std::vector<std::string> isa_flags;  // the SIMD-relevant subset of /proc/cpuinfo flags
  std::string kernel;
  std::string hostname;
};

MachineInfo machine_info();

// The 1, 5 and 15 minute load averages; absent where the system does not report them.
std::optional<std::array<double, 3>> load_average();

// Peak resident set size of this process so far, in bytes (VmHWM of /proc/self/status).
long peak_rss_bytes();

// "2026-11-21T13:05:00Z"
std::string utc_timestamp();

}  // namespace stride
