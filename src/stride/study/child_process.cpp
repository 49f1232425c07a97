#include "stride/study/child_process.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

#include "stride/core/error.h"

namespace stride::study {
namespace fs = std::filesystem;

ChildResult run_child(const fs::path& program, const std::vector<std::string>& args, const fs::path& working_folder,
                      const fs::path& log, const std::function<void(double)>& waiting, const std::vector<int>& cpus) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> argv_strings{program.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string folder = working_folder.string(), log_path = log.string();
  cpu_set_t pinned;
  CPU_ZERO(&pinned);
  for (int cpu : cpus) CPU_SET(cpu, &pinned);

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) fail("cannot start {}: {}", program.string(), std::strerror(errno));
  if (pid == 0) {
    // A study killed outright (SIGKILL, SIGTERM to it alone) takes its running cell with it.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || chdir(folder.c_str()) != 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) _exit(127);
    if (!cpus.empty() && sched_setaffinity(0, sizeof pinned, &pinned) != 0) _exit(127);
    execv(argv[0], argv.data());
    const char message[] = "study: cannot execute the program\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(127);
  }
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  int status = 0;
  // Polled from 10 ms up to every half second: short commands are not held back by the polling.
  std::chrono::milliseconds poll(10);
  for (;;) {
    const pid_t done = waitpid(pid, &status, waiting ? WNOHANG : 0);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) fail("waiting for {}: {}", program.string(), std::strerror(errno));
    if (done == 0) {
      std::this_thread::sleep_for(poll);
      poll = std::min(2 * poll, std::chrono::milliseconds(500));
      waiting(seconds());
    }
  }
  ChildResult result;
  result.seconds = seconds();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::vector<int> usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

fs::path find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? fs::path(name) : fs::path();
  const char* path = std::getenv("PATH");
  std::string folders = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t at = 0;
  while (at <= folders.size()) {
    const size_t end = std::min(folders.find(':', at), folders.size());
    const fs::path candidate = fs::path(end == at ? "." : folders.substr(at, end - at)) / name;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) return candidate;
    at = end + 1;
  }
  return {};
}

std::string last_line(const fs::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line)) {
    // A progress bar redraws its line with '\r': what counts is the text after the last one.
    const size_t cr = line.rfind('\r');
    if (cr != std::string::npos) line = line.substr(cr + 1);
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  }
  return last;
}

}  // namespace stride::study
