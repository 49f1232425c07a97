#include "stride/mcu/c_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
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

// The last `count` lines of a tool's output on one line (errors are one line).
std::string last_lines(const std::string& text, size_t count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string tail;
  for (size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i)
    tail += (tail.empty() ? "" : " | ") + lines[i];
  return tail;
}

bool has_program(const std::string& name) { return run_shell("command -v " + name).exit_code == 0; }

// One output value of the C, as the bytes it wrote hold it.
double c_value(const char* bytes, Storage storage) {
  if (storage == Storage::u8) return static_cast<uint8_t>(*bytes);
  if (storage == Storage::s8) return static_cast<int8_t>(*bytes);
  float f;
  std::memcpy(&f, bytes, sizeof f);
  return f;
}

int argmax(const std::vector<double>& row) {
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
  if (built.exit_code != 0) fail("make host-batch in {} failed: {}", dir.string(), last_lines(built.output, 4));
  const std::string c = read_file(dir / "stride_outputs.bin");
  const int64_t per_input = out.numel();
  if (c.size() != static_cast<size_t>(n * per_input) * storage_bytes(out.storage))
    fail("the C wrote {} output bytes for {} inputs of {} values", c.size(), n, per_input);

  // The engine runs one input at a time: the C's batch, which a dynamic-range model's run-time
  // scales depend on.
  Shape one = inputs.shape();
  one[0] = 1;
  const auto plan = engine.compile(model, {.input_shapes = {{model.inputs[0].name, one}}});
  const size_t input_bytes = inputs.nbytes() / static_cast<size_t>(n);
  const size_t value_bytes = storage_bytes(out.storage);

  CValidation v;
  v.engine = std::string(engine.name());
  v.inputs = n;
  int64_t c_right = 0, engine_right = 0;
  for (int64_t i = 0; i < n; ++i) {
    Tensor x(inputs.dtype(), one);
    std::memcpy(x.raw(), inputs.raw() + i * input_bytes, input_bytes);
    const Tensor theirs = plan->run({{model.inputs[0].name, x}}).at(out.name).to_f32();
    std::vector<double> mine(per_input), engine_row(per_input);
    for (int64_t j = 0; j < per_input; ++j) {
      const char* bytes = c.data() + (i * per_input + j) * value_bytes;
      mine[j] = c_value(bytes, out.storage);
      engine_row[j] = theirs.values<float>()[j];
      ++v.values;
      v.exact += mine[j] == engine_row[j];
      const double difference = std::fabs(mine[j] - engine_row[j]);
      if (out.storage == Storage::f32)
        v.max_abs = std::max(v.max_abs, difference);
      else
        v.worst_lsb = std::max(v.worst_lsb, static_cast<int64_t>(difference));
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
    fail("the firmware does not link for {}: {}", board.name, last_lines(linked.output, 4));
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
  const std::string largest = program.tensors[program.output].storage == Storage::f32
                                  ? fmt::format("{:.3g}", validation.max_abs)
                                  : fmt::format("{} LSB", validation.worst_lsb);
  text += fmt::format("\n## Outputs against the {} engine\n\n{} inputs (one at a time), {} output values: {} equal "
                      "({:.2f} %), largest difference {}.\n",
                      validation.engine, validation.inputs, validation.values, validation.exact,
                      validation.values ? 100.0 * validation.exact / validation.values : 0.0, largest);
  if (validation.c_accuracy)
    text += fmt::format("Accuracy (argmax against the labels): C on the host {:.2f} %, {} {:.2f} %.\n",
                        *validation.c_accuracy, validation.engine, *validation.engine_accuracy);
  return text;
}

}  // namespace stride::mcu
