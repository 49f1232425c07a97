#pragma once
// A description of the machine a measurement was taken on, recorded beside every result.
#include <string>
#include <vector>

namespace stride {

struct MachineInfo {
  std::string cpu_model;
  int logical_cores = 0;
  std::vector<std::string> isa_flags;  // the SIMD-relevant subset of /proc/cpuinfo flags
  std::string kernel;
  std::string hostname;
};

MachineInfo machine_info();

// Peak resident set size of this process so far, in bytes (VmHWM of /proc/self/status).
long peak_rss_bytes();

// "2026-11-21T13:05:00Z"
std::string utc_timestamp();

}  // namespace stride
