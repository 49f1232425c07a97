#pragma once
// The report beside an exported model (`stride export-c --validate DATA`): the generated C built
// for the host and run on many inputs against Stride's own engine on the same file (exact matches,
// the largest difference in LSBs, accuracy where the inputs have labels), and the firmware linked for
// the board, whose flash and RAM come from the linker rather than from an estimate.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/mcu/integer_program.h"
#include "stride/mcu/model_needs.h"

namespace stride::mcu {

struct CValidation {
  std::string engine;      // the backend the C was compared with
  int64_t inputs = 0;      // inputs run
  int64_t values = 0;      // output values compared
  int64_t exact = 0;       // of them, equal
  int64_t worst_lsb = 0;   // an int8 output's largest difference, in steps of its scale
  double max_abs = 0;      // an f32 output's largest difference
  std::optional<double> c_accuracy, engine_accuracy;  // % of argmax == label, when labels are given
};

// Runs `make host-batch` in `dir` (an export of `program`, made from `model`) on `inputs` ([N, ...],
// the input's type) and `model` on `engine` over the same inputs, one at a time (batch 1, as the C). `labels`, empty or one per
// input, give the accuracies. Throws stride::Error with the build's last lines when it fails.
CValidation validate_on_host(const std::filesystem::path& dir, const Graph& model, const IntegerProgram& program,
                             const Tensor& inputs, const std::vector<int>& labels, const Backend& engine);

struct LinkedMemory {
  bool measured = false;
  std::string why_not;  // when not measured
  size_t flash_bytes = 0, ram_bytes = 0;  // what the linker placed (the board's regions)
};

// `make elf` in `dir` with the board's cross compiler, read from the linker's memory usage; not
// measured (with the reason) when arm-none-eabi-gcc is missing or the board has no Cortex-M core.
// Throws stride::Error when the link fails (a model that does not fit).
LinkedMemory link_for_board(const std::filesystem::path& dir, const Board& board);

// REPORT.md of the export: the needs beside the board's figures, the linker's, the agreement.
std::string validation_report(const std::string& model, const Board& board, const ModelNeeds& needs,
                              const IntegerProgram& program, const LinkedMemory& linked,
                              const CValidation& validation);

}  // namespace stride::mcu
