#pragma once
// Running shell commands (make, the compilers, QEMU) from the microcontroller tests. The tests that
// need the cross tools are compiled only where CMake found them (STRIDE_HAVE_ARM_GCC,
// STRIDE_HAVE_ARM_EMULATOR; tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <string>

#include "stride/core/shell_command.h"

namespace stride::mcu {

using Outcome = ShellResult;

inline Outcome run(const std::string& command) { return run_shell(command); }


}  // namespace stride::mcu
