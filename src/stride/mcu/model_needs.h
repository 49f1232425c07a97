#pragma once
// What a generated model needs of a board before anything is built: flash for its constants and
// code, RAM for its arena and the stack. `stride export-c` refuses a model that cannot fit and
// `stride info --board` prints these; the linker map of the firmware gives the real figures.
#include <nlohmann/json.hpp>
#include <string>

#include "stride/mcu/boards.h"
#include "stride/mcu/integer_program.h"

namespace stride::mcu {

struct ModelNeeds {
  size_t constant_bytes = 0;  // weights, biases, scales (flash)
  size_t code_bytes = 0;      // kernels, harness and C library: an estimate (see model_needs.cpp)
  size_t arena_bytes = 0;     // the planner's arena (RAM)
  size_t reserve_bytes = 0;   // the harness's stack and least heap, the C library's data (RAM)
  size_t flash_bytes() const { return constant_bytes + code_bytes; }
  size_t ram_bytes() const { return arena_bytes + reserve_bytes; }
};

ModelNeeds model_needs(const IntegerProgram& program);

// The needs beside the board's flash and RAM, as a small text table.
std::string needs_table(const ModelNeeds& needs, const Board& board);
nlohmann::json needs_json(const ModelNeeds& needs);

}  // namespace stride::mcu
