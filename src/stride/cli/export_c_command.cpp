// `stride export-c m.onnx --board nano33ble -o DIR`: a full-integer model as portable C99 for a
// microcontroller, with the firmware harness that runs it under QEMU or on the host (docs/mcu.md).
// Everything is checked before anything is written: an op without a C kernel is refused by node, a
// model that does not fit the board by both figures (unless --force, and then the link fails).
#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/core/atomic_file.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/io/npy.h"
#include "stride/mcu/boards.h"
#include "stride/mcu/c_model_writer.h"
#include "stride/mcu/c_validation.h"
#include "stride/mcu/model_needs.h"
#include "stride/measure/result_header.h"
#include "stride/pipeline/sensor_windows.h"

namespace stride::cli {
namespace {

struct ExportCArgs {
  std::string model;
  std::string board = "nano33ble";
  std::string output;
  std::string test_input;
  std::string model_output;  // the output the C computes
  std::string validate;      // a UCI HAR-layout dataset whose test windows check the C
  bool force = false;
  std::string json;
};

// The dataset's test windows as the model takes them (its integers, or f32), [N, C, T], and their labels.
std::pair<Tensor, std::vector<int>> test_windows(const Graph& model, const mcu::IntegerProgram& program,
                                                 const std::string& data) {
  const pipeline::SensorWindows test = pipeline::load_sensor_windows(data, "test", pipeline::model_input_of(model));
  const mcu::ProgramTensor& in = program.tensors[program.input];
  Shape shape = in.shape;
  shape[0] = static_cast<int64_t>(test.windows.size());
  Tensor inputs(mcu::storage_dtype(in.storage), shape);
  for (size_t i = 0; i < test.windows.size(); ++i) {
    const Tensor q = mcu::model_input_values(program, test.windows[i]);
    std::memcpy(inputs.raw() + i * q.nbytes(), q.raw(), q.nbytes());
  }
  return {inputs, test.labels};
}

// The export checked: the C on the host against the onednn engine (whose arithmetic it copies) on
// the test windows, and the firmware linked for the board; REPORT.md beside the code.
nlohmann::json validate(const ExportCArgs& args, const Graph& model, const mcu::IntegerProgram& program,
                        const mcu::Board& board, const mcu::ModelNeeds& needs) {
  const auto [inputs, labels] = test_windows(model, program, args.validate);
  fmt::print("validating on the {} test windows of {}: the C on the host against onednn\n", inputs.dim(0),
             args.validate);
  const mcu::CValidation v =
      mcu::validate_on_host(args.output, model, program, inputs, labels, *make_backend("onednn"));
  const mcu::LinkedMemory linked = mcu::link_for_board(args.output, board);
  const std::string report = mcu::validation_report(args.model, board, needs, program, linked, v);
  const std::filesystem::path report_path = std::filesystem::path(args.output) / "REPORT.md";
  write_file_atomically(report_path, report);
  fmt::print("\n{}\nwrote {}\n", report, report_path.string());
  nlohmann::json j = {{"engine", v.engine},       {"inputs", v.inputs},       {"values", v.values},
                      {"exact", v.exact},         {"worst_lsb", v.worst_lsb}, {"max_abs", v.max_abs},
                      {"c_accuracy", nullptr},    {"engine_accuracy", nullptr}, {"linked", nullptr}};
  if (v.c_accuracy) {
    j["c_accuracy"] = *v.c_accuracy;
    j["engine_accuracy"] = *v.engine_accuracy;
  }
  if (linked.measured)
    j["linked"] = {{"flash_bytes", linked.flash_bytes}, {"ram_bytes", linked.ram_bytes}};
  else
    j["linked_not_measured"] = linked.why_not;
  return j;
}

void export_c(const ExportCArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"file", args.test_input}, {"dataset", args.validate}},
                     {{"-o", args.output, OutputPath::Kind::folder}, json_output.output_path()});
  const mcu::Board& board = mcu::board_named(args.board);
  const Graph model = load_model(args.model);
  const mcu::IntegerProgram program = mcu::lower_to_integer_program(model, args.model_output);
  const mcu::ModelNeeds needs = mcu::model_needs(program);
  const std::string problem = mcu::fit_problem(board, needs.flash_bytes(), needs.ram_bytes());
  if (!problem.empty() && !args.force)
    usage_fail("{} (add --force to write it anyway: the board's link then fails)", problem);

  const mcu::ProgramTensor& in = program.tensors[program.input];
  Tensor input(mcu::storage_dtype(in.storage), in.shape);  // zeros unless given
  if (!args.test_input.empty()) input = mcu::model_input_values(program, read_npy(args.test_input));

  const std::string name = std::filesystem::path(args.model).stem().string();
  const mcu::CModelFiles files = mcu::write_c_model(program, name, input);
  mcu::write_c_export(args.output, files, board);

  fmt::print("{}: {} steps in C for {} ({})\n", args.model, program.steps.size(), board.name, board.description);
  fmt::print("{}", mcu::needs_table(needs, board));
  if (!problem.empty()) fmt::print("warning: {}\n", problem);
  nlohmann::json validation;
  if (!args.validate.empty()) validation = validate(args, model, program, board, needs);
  fmt::print("wrote {}, stride_test_input.h and the firmware harness: make -C {} host{}\n",
             (std::filesystem::path(args.output) / "stride_model.{h,c}").string(), args.output,
             board.qemu_machine.empty() ? "" : fmt::format(" (or run, on QEMU {})", board.qemu_machine));

  if (!json_output.requested()) return;
  nlohmann::json j = {{"model", model_reference(args.model, model)},
                      {"board", board.name},
                      {"output", args.output},
                      {"steps", program.steps.size()},
                      {"needs", mcu::needs_json(needs)},
                      {"fits", problem.empty()}};
  if (!validation.is_null()) j["validation"] = validation;
  json_output.write(result_document("export-c", 1, j));
}

}  // namespace

void add_export_c_command(CLI::App& app) {
  auto a = std::make_shared<ExportCArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export-c", "Write a full-integer model as plain C99 for a microcontroller, with a firmware harness to run it");
  cmd->add_option("model", a->model, "A full-integer ONNX model (stride quantize --precision full-int)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--board", a->board, "The board's profile: its flash and RAM bound the model (stride info --board)")
      ->capture_default_str();
  cmd->add_option("-o,--output", a->output, "The folder the C files, linker script and Makefile go to")->required();
  cmd->add_option("--test-input", a->test_input,
                  "An .npy input the firmware runs: the input's integers, or f32 values quantized with its scale "
                  "(default: zeros)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--model-output", a->model_output,
                  "The model output the C computes (default: the only one, or 'probabilities')");
  cmd->add_option("--validate", a->validate,
                  "A UCI HAR-layout dataset: its test windows run through the C on the host and on onednn "
                  "(exact matches, accuracy), the firmware is linked for the board; REPORT.md beside the code")
      ->check(CLI::ExistingDirectory);
  cmd->add_flag("--force", a->force, "Write a model that does not fit the board (its link then fails)");
  add_json_option(cmd, a->json);
  cmd->footer(
      "Example:\n"
      "  stride quantize har-cnn.onnx --precision full-int --data data/har-mini -o har-cnn-int.onnx\n"
      "  stride export-c har-cnn-int.onnx --board nano33ble --test-input window.npy -o har-cnn-c\n"
      "  stride export-c har-cnn-int.onnx --validate data/har-mini -o har-cnn-c   # and REPORT.md\n"
      "  make -C har-cnn-c host     # or: make -C har-cnn-c run   (QEMU, needs make deps-mcu)");
  cmd->callback([a] { export_c(*a); });
}

}  // namespace stride::cli
