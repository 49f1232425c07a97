#pragma once
// The microcontroller boards `stride export-c` writes firmware for, as data: the core and float ABI
// the cross compiler needs, the board's own flash and RAM (what a model must fit), and the QEMU
// machine that emulates its core here, if any (docs/mcu.md, "Boards").
#include <cstddef>
#include <string>
#include <vector>

namespace stride::mcu {

struct Board {
  std::string name;          // "nano33ble"
  std::string description;   // "Arduino Nano 33 BLE Sense (nRF52840, Cortex-M4F)"
  std::string core;          // gcc's -mcpu value ("cortex-m4"); for a non-Arm board, its core's name
  bool fpu = false;          // a single-precision FPU
  std::string float_flags;   // "-mfloat-abi=hard -mfpu=fpv4-sp-d16", or "-mfloat-abi=soft"
  size_t flash_bytes = 0;    // program memory: code, weights, constants
  size_t ram_bytes = 0;      // data memory: static data, the model's arena, stack, heap
  std::string qemu_machine;  // qemu-system-arm -M value ("mps2-an386"); empty when QEMU cannot emulate it
  std::string why_no_qemu;   // when qemu_machine is empty: why
};

// Every known board, in a fixed order.
const std::vector<Board>& boards();

// The board called `name`; throws stride::UsageError listing the known names when there is none.
const Board& board_named(const std::string& name);

// "" when `flash_needed` and `ram_needed` bytes fit the board, else one line naming what does not fit
// with both figures: "needs 300.0 KiB of RAM, nano33ble has 256.0 KiB".
std::string fit_problem(const Board& board, size_t flash_needed, size_t ram_needed);

}  // namespace stride::mcu
