#pragma once
// The C99 kernels the generated model calls, as source text: only those a model uses are written
// (an unused static function is a warning, and -Werror makes it an error on the board's build).
// Data is NCHW (a 1-D convolution is one of height 1), batch 1.
#include <string>

#include "stride/mcu/integer_program.h"

namespace stride::mcu {

// The requantization and store helpers every model needs.
std::string c_common_kernels();

// The function computing a step of `kind` in the variant `variant` selects (conv, dense, max_pool,
// transpose and dequantize: the input's storage; lstm: its weights', f32 or s8), and its name.
std::string c_kernel_name(StepKind kind, Storage variant);
std::string c_kernel_source(StepKind kind, Storage variant);

}  // namespace stride::mcu
