#include "stride/core/memory_budget.h"

#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>

#include "stride/core/error.h"

namespace stride {
namespace {

std::atomic<uint64_t> configured{0};

uint64_t default_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return uint64_t{8} << 30;  // unknown machine: a cautious 8 GiB
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 4 * 3;
}

// The limit's origin, for the message that refuses.
std::string limit_origin() {
  if (configured.load()) return "set by --memory-limit or STRIDE_MEMORY_LIMIT";
  return "3/4 of this machine's memory; --memory-limit raises it";
}

}  // namespace

uint64_t parse_byte_size(std::string_view text) {
  const std::string s(text);
  char* end = nullptr;
  const double number = std::strtod(s.c_str(), &end);
  const std::string unit(end);
  double scale = 0;
  if (unit.empty() || unit == "B")
    scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KiB")
    scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MiB")
    scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GiB")
    scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TB" || unit == "TiB")
    scale = 1024.0 * 1024 * 1024 * 1024;
  const double bytes = number * scale;
  if (end == s.c_str() || scale == 0 || !std::isfinite(bytes) || bytes < 1 || bytes > 1e18)
    fail("'{}' is not a memory size: expected a positive number of bytes, or one with K, M, G or T (like 8G)", s);
  return static_cast<uint64_t>(bytes);
}

std::string byte_size_str(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int u = 0;
  while (value >= 1024 && u < 4) {
    value /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.2f} {}", value, units[u]);
}

uint64_t memory_limit() {
  if (const uint64_t set = configured.load()) return set;
  static const uint64_t machine = default_limit();
  return machine;
}

void set_memory_limit(uint64_t bytes) { configured = bytes; }

void check_memory(uint64_t bytes, std::string_view what) {
  const uint64_t limit = memory_limit();
  if (bytes > limit)
    throw MemoryLimitExceeded(fmt::format("{} needs {}, more than the memory limit of {} ({})", what,
                                          byte_size_str(bytes), byte_size_str(limit), limit_origin()));
}

}  // namespace stride
