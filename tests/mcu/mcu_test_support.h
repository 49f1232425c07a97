#pragma once
// Running shell commands (make, the compilers, QEMU) from the microcontroller tests, and whether
// the cross tools the emulated tests need are installed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace stride::mcu {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline Outcome run(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1 </dev/null").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  Outcome o;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) o.output.append(buffer, n);
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

inline bool installed(const std::string& tool) { return run("command -v " + tool).exit_code == 0; }

// Whether the cross tools the emulated tests need are here. `make mcu-test` sets
// STRIDE_REQUIRE_MCU_TOOLS=1: there a missing tool fails instead of skipping.
inline bool cross_tools_installed(bool need_qemu) {
  if (installed("arm-none-eabi-gcc") && (!need_qemu || installed("qemu-system-arm"))) return true;
  const char* required = std::getenv("STRIDE_REQUIRE_MCU_TOOLS");
  if (required && std::string(required) == "1")
    ADD_FAILURE() << "arm-none-eabi-gcc or qemu-system-arm not installed (STRIDE_REQUIRE_MCU_TOOLS=1)";
  return false;
}

}  // namespace stride::mcu
