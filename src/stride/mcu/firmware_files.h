#pragma once
// The firmware harness around a model exported as C (docs/mcu.md, "The firmware harness"): the files
// that build the model for a board, run it under QEMU, and build and run it on the host.
//
// The model's own files, written into the same folder by the exporter, keep this contract:
//   stride_model.h       defines STRIDE_MODEL_INPUT_COUNT, STRIDE_MODEL_OUTPUT_COUNT, STRIDE_MODEL_ARENA_BYTES,
//                        STRIDE_MODEL_OUTPUT_UNSIGNED (1: the output bytes are uint8 values, 0: int8) and
//                        declares int stride_model_run(const int8_t* in, int8_t* out) (0 on success);
//   stride_model.c       the model, portable C99 using only <stdint.h>, <string.h> and <math.h>;
//   stride_test_input.h  static const int8_t stride_test_input[STRIDE_MODEL_INPUT_COUNT] = {...};
// The harness runs the model once on the test input and prints
//   OUTPUT <count> <v0> <v1> ...
//   STACK <bytes>        (the stack's high-water mark on the board; "STACK n/a" on the host)
#include <cstddef>
#include <filesystem>

#include "stride/mcu/boards.h"

namespace stride::mcu {

// The stack reserved in RAM for the firmware, and the least heap left for the C library's stdio
// buffers: both count in the RAM a model needs on a board besides its static data.
inline constexpr size_t kStackReserveBytes = 8 * 1024;
inline constexpr size_t kHeapMinimumBytes = 4 * 1024;

// Writes main.c and the Makefile into `dir` (created when missing), and for a board with a Cortex-M
// core startup.c (vector table, reset handler, stack measurement) and board.ld (the board's flash and
// RAM): each file atomically. Make targets: all/elf, run, host, size, clean.
void write_firmware(const Board& board, const std::filesystem::path& dir);

}  // namespace stride::mcu
