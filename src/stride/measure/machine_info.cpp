#include "stride/measure/machine_info.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace stride {
namespace {
// Flags that decide which kernels oneDNN and LibTorch can use.
bool is_interesting_flag(const std::string& flag) {
  return flag.rfind("avx", 0) == 0 || flag.rfind("amx", 0) == 0 || flag == "fma" || flag == "f16c" ||
         flag.rfind("sse4", 0) == 0 || flag == "avx512_vnni" || flag == "avx_vnni" || flag == "avx512_bf16" ||
         flag == "avx512_fp16";
}
}  // namespace

MachineInfo machine_info() {
  MachineInfo info;
  info.logical_cores = static_cast<int>(std::thread::hardware_concurrency());
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    key.erase(key.find_last_not_of(" \t") + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && info.cpu_model.empty()) info.cpu_model = value;
    if (key == "flags" && info.isa_flags.empty()) {
      std::istringstream flags(value);
      for (std::string f; flags >> f;)
        if (is_interesting_flag(f)) info.isa_flags.push_back(f);
      std::sort(info.isa_flags.begin(), info.isa_flags.end());
    }
  }
  utsname u{};
  if (uname(&u) == 0) {
    info.kernel = std::string(u.sysname) + " " + u.release;
    info.hostname = u.nodename;
  }
  return info;
}

long peak_rss_bytes() {
  // VmHWM is this process image's own high-water mark; getrusage's maximum would also carry the
  // one of whatever ran before an exec. It is the fallback where /proc is not mounted.
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) * 1024L;  // "VmHWM:   1234 kB"
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;  // Linux reports kilobytes
}

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace stride
