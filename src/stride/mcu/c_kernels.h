#pragma once
// The C99 kernels the generated model calls, as source text: only those a model uses are written
// (an unused static function is a warning, and -Werror makes it an error on the board's build).
// Data is NCHW (a 1-D convolution is one of height 1), batch 1.
#include <string>

#include "stride/mcu/integer_program.h"

namespace stride::mcu {

// The requantization and store helpers every model needs.
std::string c_common_kernels();

// The function computing a step of `kind` reading `input` (conv, dense, max_pool and dequantize
// have one per input storage), and its name.
std::string c_kernel_name(StepKind kind, Storage input);
std::string c_kernel_source(StepKind kind, Storage input);

}  // namespace stride::mcu
