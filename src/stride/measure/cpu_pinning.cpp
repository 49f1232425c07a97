#include "stride/measure/cpu_pinning.h"

#include <fmt/ranges.h>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "stride/core/error.h"

namespace stride {

std::vector<int> pin_to_first_cores(int cores) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
    fail("cannot read which cores this process may use: {}", std::strerror(errno));
  const int usable = CPU_COUNT(&allowed);
  if (cores < 1 || cores > usable)
    fail("cannot pin {} threads: this process may use {} cores (pass --threads between 1 and {})", cores, usable,
         usable);
  cpu_set_t pinned;
  CPU_ZERO(&pinned);
  std::vector<int> chosen;
  for (int cpu = 0; cpu < CPU_SETSIZE && static_cast<int>(chosen.size()) < cores; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) {
      CPU_SET(cpu, &pinned);
      chosen.push_back(cpu);
    }
  // sched_setaffinity sets one thread's set: threads started already (a thread pool made while the
  // model loaded) are each set, and the new ones inherit it from the thread that starts them.
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    const pid_t tid = static_cast<pid_t>(std::stol(task.path().filename().string()));
    if (sched_setaffinity(tid, sizeof pinned, &pinned) != 0 && errno != ESRCH)
      fail("cannot pin thread {} to cores {}: {}", tid, fmt::join(chosen, ","), std::strerror(errno));
  }
  return chosen;
}

}  // namespace stride
