#include "stride/core/shell_command.h"

#include <sys/wait.h>

#include <cstdio>

#include "stride/core/error.h"

namespace stride {

ShellResult run_shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1 </dev/null").c_str(), "r");
  if (!pipe) fail("cannot run {}", command);
  ShellResult r;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) r.output.append(buffer, n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace stride
