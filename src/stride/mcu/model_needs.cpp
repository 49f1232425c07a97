#include "stride/mcu/model_needs.h"

#include <fmt/format.h>

#include "stride/mcu/firmware_files.h"
#include "stride/report/text_table.h"

namespace stride::mcu {
namespace {

// The code beside the constants: the kernels, the harness's startup and newlib's printf and libm as
// the Cortex-M4 builds of the three HAR models linked them (docs/mcu.md), rounded up. Only a bound
// for the check before building: the linker map of the firmware has the real figure.
constexpr size_t kCodeBytes = 48 * 1024;
// newlib's own static data (its reentrancy structure, stdio's state): 2.7 KiB in those links.
constexpr size_t kLibraryDataBytes = 3 * 1024;

std::string kib(size_t bytes) { return fmt::format("{:.1f} KiB", bytes / 1024.0); }

}  // namespace

ModelNeeds model_needs(const IntegerProgram& program) {
  ModelNeeds needs;
  needs.constant_bytes = program.constant_bytes();
  needs.code_bytes = kCodeBytes;
  needs.arena_bytes = program.arena_bytes;
  needs.reserve_bytes = kStackReserveBytes + kHeapMinimumBytes + kLibraryDataBytes;
  return needs;
}

std::string needs_table(const ModelNeeds& needs, const Board& board) {
  TextTable t({{"", TextTable::Align::left}, {"needs"}, {board.name}});
  t.add_row({"flash: constants", kib(needs.constant_bytes), ""});
  t.add_row({"flash: code (estimate)", kib(needs.code_bytes), ""});
  t.add_row({"flash", kib(needs.flash_bytes()), kib(board.flash_bytes)});
  t.add_row({"RAM: arena", kib(needs.arena_bytes), ""});
  t.add_row({"RAM: stack, heap, C library", kib(needs.reserve_bytes), ""});
  t.add_row({"RAM", kib(needs.ram_bytes()), kib(board.ram_bytes)});
  return t.render();
}

nlohmann::json needs_json(const ModelNeeds& needs) {
  return {{"constant_bytes", needs.constant_bytes}, {"code_bytes_estimate", needs.code_bytes},
          {"arena_bytes", needs.arena_bytes},       {"reserve_bytes", needs.reserve_bytes},
          {"flash_bytes", needs.flash_bytes()},     {"ram_bytes", needs.ram_bytes()}};
}

}  // namespace stride::mcu
