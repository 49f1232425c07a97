#include "stride/mcu/c_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/core/shell_command.h"
#include "stride/report/text_table.h"

namespace stride::mcu {
namespace {

// `make TARGET` in the export's folder: the generated Makefile is the one way the C is built.
ShellResult make(const std::filesystem::path& dir, const std::string& target) {
  return run_shell(fmt::format("make -s -C '{}' {}", dir.string(), target));
}

std::string last_lines(const std::string& text, size_t count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string tail;
  for (size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) tail += lines[i] + "\n";
  return tail;
}

bool has_program(const std::string& name) { return run_shell("command -v " + name).exit_code == 0; }

int output_value(const Tensor& t, int64_t i) {
  return t.dtype() == DType::u8 ? t.values<uint8_t>()[i] : t.values<int8_t>()[i];
}

int argmax(const std::vector<int>& row) {
  return static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin());
}

std::string kib(size_t bytes) { return fmt::format("{:.1f} KiB", bytes / 1024.0); }

}  // namespace

CValidation validate_on_host(const std::filesystem::path& dir, const Graph& model, const IntegerProgram& program,
                             const Tensor& inputs, const std::vector<int>& labels, const Backend& engine) {
  const ProgramTensor& in = program.tensors[program.input];
  const ProgramTensor& out = program.tensors[program.output];
  const int64_t n = inputs.rank() ? inputs.dim(0) : 0;
  if (n == 0 || inputs.numel() != n * in.numel())
    fail("validation inputs of shape {} do not hold whole inputs of {} values", shape_str(inputs.shape()), in.numel());
  if (!labels.empty() && static_cast<int64_t>(labels.size()) != n) fail("{} labels for {} inputs", labels.size(), n);
  write_file_atomically(dir / "stride_inputs.bin",
                        std::string_view(reinterpret_cast<const char*>(inputs.raw()), inputs.nbytes()));
  const ShellResult built = make(dir, "host-batch");
  if (built.exit_code != 0) fail("make host-batch in {} failed:\n{}", dir.string(), last_lines(built.output, 8));
  const std::string c = read_file(dir / "stride_outputs.bin");
  const int64_t per_input = out.numel();
  if (static_cast<int64_t>(c.size()) != n * per_input)
    fail("the C wrote {} output bytes for {} inputs of {} values", c.size(), n, per_input);

  Shape shape = inputs.shape();
  const auto plan = engine.compile(model, {.input_shapes = {{model.inputs[0].name, shape}}});
  const Tensor theirs = plan->run({{model.inputs[0].name, inputs}}).at(out.name);

  CValidation v;
  v.engine = std::string(engine.name());
  v.inputs = n;
  int64_t c_right = 0, engine_right = 0;
  for (int64_t i = 0; i < n; ++i) {
    std::vector<int> mine(per_input), engine_row(per_input);
    for (int64_t j = 0; j < per_input; ++j) {
      const char byte = c[i * per_input + j];
      mine[j] = out.storage == Storage::u8 ? static_cast<uint8_t>(byte) : static_cast<int8_t>(byte);
      engine_row[j] = output_value(theirs, i * per_input + j);
      ++v.values;
      v.exact += mine[j] == engine_row[j];
      v.worst_lsb = std::max<int64_t>(v.worst_lsb, std::abs(mine[j] - engine_row[j]));
    }
    if (!labels.empty()) {
      c_right += argmax(mine) == labels[i];
      engine_right += argmax(engine_row) == labels[i];
    }
  }
  if (!labels.empty()) {
    v.c_accuracy = 100.0 * c_right / n;
    v.engine_accuracy = 100.0 * engine_right / n;
  }
  return v;
}

LinkedMemory link_for_board(const std::filesystem::path& dir, const Board& board) {
  LinkedMemory m;
  if (board.core.rfind("cortex-m", 0) != 0) {
    m.why_not = fmt::format("no cross compiler here for {} ({})", board.name, board.core);
    return m;
  }
  if (!has_program("arm-none-eabi-gcc")) {
    m.why_not = "arm-none-eabi-gcc is not installed (make deps-mcu)";
    return m;
  }
  const ShellResult linked = make(dir, "elf");
  if (linked.exit_code != 0)
    fail("the firmware does not link for {}:\n{}", board.name, last_lines(linked.output, 6));
  // GNU ld's --print-memory-usage: "           FLASH:       52828 B         1 MB      5.04%"
  const std::regex usage(R"((FLASH|RAM):\s+(\d+) B)");
  for (std::sregex_iterator it(linked.output.begin(), linked.output.end(), usage), end; it != end; ++it) {
    const size_t bytes = std::stoull((*it)[2].str());
    ((*it)[1].str() == "FLASH" ? m.flash_bytes : m.ram_bytes) = bytes;
  }
  m.measured = m.flash_bytes > 0 && m.ram_bytes > 0;
  if (!m.measured) m.why_not = "the linker printed no memory usage";
  return m;
}

std::string validation_report(const std::string& model, const Board& board, const ModelNeeds& needs,
                              const IntegerProgram& program, const LinkedMemory& linked,
                              const CValidation& validation) {
  std::string text = fmt::format("# {} as C for {} ({})\n\nWritten by `stride export-c --validate`; docs/mcu.md.\n\n",
                                 model, board.name, board.description);
  TextTable memory({{"", TextTable::Align::left}, {"estimated"}, {"linked"}, {board.name}});
  memory.add_row({"flash", kib(needs.flash_bytes()), linked.measured ? kib(linked.flash_bytes) : "",
                  kib(board.flash_bytes)});
  memory.add_row({"RAM", kib(needs.ram_bytes()), linked.measured ? kib(linked.ram_bytes) : "", kib(board.ram_bytes)});
  text += memory.render_markdown();
  if (!linked.measured) text += fmt::format("\nNot linked: {}.\n", linked.why_not);
  text += fmt::format(
      "\nArena: {} bytes in {} buffers (Stride's planner; STRIDE_MODEL_ARENA_BYTES). Constants: {} bytes. "
      "RAM besides the arena, estimated: the harness's stack and heap reserve and the C library's data ({} bytes).\n",
      program.arena_bytes, program.buffers.size(), needs.constant_bytes, needs.reserve_bytes);
  text += fmt::format("\n## Outputs against the {} engine\n\n{} inputs, {} output values: {} equal ({:.2f} %), "
                      "largest difference {} LSB.\n",
                      validation.engine, validation.inputs, validation.values, validation.exact,
                      validation.values ? 100.0 * validation.exact / validation.values : 0.0, validation.worst_lsb);
  if (validation.c_accuracy)
    text += fmt::format("Accuracy (argmax against the labels): C on the host {:.2f} %, {} {:.2f} %.\n",
                        *validation.c_accuracy, validation.engine, *validation.engine_accuracy);
  return text;
}

}  // namespace stride::mcu
