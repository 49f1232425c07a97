#pragma once
// Running shell commands (make, the compilers, QEMU) from the microcontroller tests, and whether
// the cross tools the emulated tests need are installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "stride/core/shell_command.h"

namespace stride::mcu {

using Outcome = ShellResult;

inline Outcome run(const std::string& command) { return run_shell(command); }

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
