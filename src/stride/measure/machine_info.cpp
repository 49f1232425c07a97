#include "stride/measure/machine_info.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace stride {
namespace {
bool starts_with_any(const std::string& flag, std::initializer_list<const char*> families) {
  for (const char* family : families)
    if (flag.rfind(family, 0) == 0) return true;
  return false;
}

// Flags that decide which kernels oneDNN, XNNPACK and LibTorch can use: x86's SSE4/AVX/AMX
// families ("flags"); ARM's Advanced SIMD (asimd, asimddp, asimdhp), SVE, SME, int8 and bf16
// matrix steps ("Features"). Apart, since x86 has look-alikes (smep is a protection, not SME).
bool is_interesting_flag(const std::string& key, const std::string& flag) {
  if (key == "flags") return starts_with_any(flag, {"avx", "amx", "sse4"}) || flag == "fma" || flag == "f16c";
  return starts_with_any(flag, {"asimd", "sve", "sme"}) || flag == "fphp" || flag == "i8mm" || flag == "bf16";
}

// "6", "0x41", "0xd08": decimal on x86, hexadecimal for ARM's identifiers.
std::optional<int> cpuinfo_number(const std::string& value) {
  try {
    return std::stoi(value, nullptr, 0);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Where /proc/cpuinfo has no clock (ARM), cpufreq's current one, in kHz.
std::optional<double> cpufreq_mhz() {
  std::ifstream file("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq");
  double khz = 0;
  if (file >> khz && khz > 0) return khz / 1000;
  return std::nullopt;
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
    // The first processor's lines only: the others repeat them (or, on big.LITTLE, describe
    // another core type, which the first one stands for).
    if (key == "model name" && info.cpu_model.empty()) info.cpu_model = value;
    if ((key == "cpu family" || key == "CPU architecture") && !info.cpu_family) info.cpu_family = cpuinfo_number(value);
    if ((key == "model" || key == "CPU part") && !info.cpu_model_number) info.cpu_model_number = cpuinfo_number(value);
    if ((key == "stepping" || key == "CPU revision") && !info.cpu_stepping) info.cpu_stepping = cpuinfo_number(value);
    if (key == "cpu MHz" && !info.mhz)
      if (const double mhz = std::strtod(value.c_str(), nullptr); mhz > 0) info.mhz = mhz;
    if ((key == "flags" || key == "Features") && info.isa_flags.empty()) {
      std::istringstream flags(value);
      for (std::string f; flags >> f;)
        if (is_interesting_flag(key, f)) info.isa_flags.push_back(f);
      std::sort(info.isa_flags.begin(), info.isa_flags.end());
    }
  }
  if (!info.mhz) info.mhz = cpufreq_mhz();
  utsname u{};
  if (uname(&u) == 0) {
    info.kernel = std::string(u.sysname) + " " + u.release;
    info.hostname = u.nodename;
  }
  return info;
}

std::optional<std::array<double, 3>> load_average() {
  std::array<double, 3> load{};
  if (getloadavg(load.data(), 3) != 3) return std::nullopt;
  return load;
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
