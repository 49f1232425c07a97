#pragma once
// Runs a shell command to completion and keeps what it printed: for the tools Stride drives as a
// user would (make, a C compiler), whose output is the message when they fail.
#include <string>

namespace stride {

struct ShellResult {
  int exit_code = -1;  // -1 when the command did not exit normally
  std::string output;  // standard output and error together
};

// `command` runs under /bin/sh with no standard input. Throws stride::Error when it cannot start.
ShellResult run_shell(const std::string& command);

}  // namespace stride
