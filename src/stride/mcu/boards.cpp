#include "stride/mcu/boards.h"

#include <fmt/format.h>

#include "stride/core/usage_error.h"

namespace stride::mcu {
namespace {

constexpr size_t kKiB = 1024;
constexpr size_t kMiB = 1024 * kKiB;

// The figures are the chips' on-chip memories as their datasheets give them (KiB = 1024 bytes), or
// the module's flash where the chip has none of its own. The cores with a QEMU machine run under it
// with the board's sizes in the linker script: the machines have at least as much memory at the same
// addresses (flash-like memory at 0x00000000, RAM at 0x20000000).
std::vector<Board> make_boards() {
  return {
      // ESP32-WROOM-32 module: ESP32-D0WDQ6 datasheet, 520 KiB of SRAM on the chip; the module's
      // SPI flash is 4 MiB. Xtensa LX6 cores with a single-precision FPU.
      {"esp32", "Espressif ESP32-WROOM-32 (ESP32, dual Xtensa LX6)", "xtensa-lx6", true, "", 4 * kMiB, 520 * kKiB, "",
       "Debian has no Xtensa ESP32 cross compiler (only the ESP8266's gcc-xtensa-lx106) and QEMU has no ESP32 "
       "machine; build main.c and the model with Espressif's ESP-IDF instead"},
      // nRF52840 product specification: 1 MiB of flash, 256 KiB of RAM; Cortex-M4 with FPv4-SP.
      {"nano33ble", "Arduino Nano 33 BLE Sense (nRF52840, Cortex-M4F)", "cortex-m4", true,
       "-mfloat-abi=hard -mfpu=fpv4-sp-d16", 1 * kMiB, 256 * kKiB, "mps2-an386", ""},
      // STM32F746NG datasheet: 1 MiB of flash, 320 KiB of RAM (240 KiB SRAM1, 16 KiB SRAM2, 64 KiB DTCM);
      // Cortex-M7 with a single-precision FPv5 (the STM32F76x/77x have the double-precision one).
      {"stm32f746", "ST STM32F746G-DISCO (STM32F746NG, Cortex-M7)", "cortex-m7", true,
       "-mfloat-abi=hard -mfpu=fpv5-sp-d16", 1 * kMiB, 320 * kKiB, "mps2-an500", ""},
      // STM32F103RB datasheet: 128 KiB of flash, 20 KiB of SRAM; Cortex-M3, no FPU.
      {"stm32f103", "ST Nucleo-F103RB (STM32F103RB, Cortex-M3)", "cortex-m3", false, "-mfloat-abi=soft", 128 * kKiB,
       20 * kKiB, "mps2-an385", ""},
      // Arm's AN547 application note (Corstone-300 on the MPS3 FPGA board): 512 KiB of ITCM for code,
      // 512 KiB of DTCM for data; Cortex-M55 with MVE and the FPv5 FPU (gcc's -mfpu=auto from -mcpu).
      {"corstone300", "Arm MPS3 board with the AN547 image (Corstone-300, Cortex-M55 with MVE)", "cortex-m55", true,
       "-mfloat-abi=hard", 512 * kKiB, 512 * kKiB, "mps3-an547", ""},
  };
}

std::string kib(size_t bytes) { return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / kKiB); }

}  // namespace

const std::vector<Board>& boards() {
  static const std::vector<Board> all = make_boards();
  return all;
}

const Board& board_named(const std::string& name) {
  std::string names;
  for (const Board& board : boards()) {
    if (board.name == name) return board;
    names += (names.empty() ? "" : ", ") + board.name;
  }
  usage_fail("unknown board '{}': the boards are {}", name, names);
}

std::string fit_problem(const Board& board, size_t flash_needed, size_t ram_needed) {
  std::string problem;
  if (flash_needed > board.flash_bytes)
    problem = fmt::format("needs {} of flash, {} has {}", kib(flash_needed), board.name, kib(board.flash_bytes));
  if (ram_needed > board.ram_bytes)
    problem += fmt::format("{}needs {} of RAM, {} has {}", problem.empty() ? "" : "; ", kib(ram_needed), board.name,
                           kib(board.ram_bytes));
  return problem;
}

}  // namespace stride::mcu
