#pragma once
// An IntegerProgram as portable C99 with no dynamic allocation: `stride_model.h` (the entry point,
// shapes, scales, the arena's size), `stride_model.c` (const weights and requantization parameters,
// one static arena, the steps) and `stride_test_input.h` (one input for the firmware harness).
#include <filesystem>
#include <string>

#include "stride/core/tensor.h"
#include "stride/mcu/boards.h"
#include "stride/mcu/integer_program.h"

namespace stride::mcu {

struct CModelFiles {
  std::string header;      // stride_model.h
  std::string source;      // stride_model.c
  std::string test_input;  // stride_test_input.h
  std::string host_batch;  // stride_host_batch.c: runs the model on many inputs (files)
};

// `test_input` holds the model input's values (s8, u8 or f32, as many as the input has).
CModelFiles write_c_model(const IntegerProgram& program, const std::string& model_name, const Tensor& test_input);

// The four files and the board's firmware harness (firmware_files.h) in `dir`, each atomically.
void write_c_export(const std::filesystem::path& dir, const CModelFiles& files, const Board& board);

// The test input as the model reads it: a tensor of the input's type is taken as it is; an f32 one
// for an int8 input is quantized with the input's scale (the rule of stride_quantize). Throws
// stride::UsageError when the element count or type does not fit.
Tensor model_input_values(const IntegerProgram& program, const Tensor& given);

}  // namespace stride::mcu
