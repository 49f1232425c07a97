// `stride zoo`: list the paper's models and build them as ONNX files with seeded weights.
#include <fmt/format.h>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/onnx/onnx_export.h"
#include "stride/report/text_table.h"
#include "stride/zoo/zoo.h"

namespace stride::cli {
namespace {

struct BuildArgs {
  std::string name;
  std::string output;
  ZooOptions options;
};

void list() {
  TextTable t({{"name", TextTable::Align::left}, {"description", TextTable::Align::left}});
  for (const auto& e : zoo_list()) t.add_row({e.name, e.description});
  fmt::print("{}", t.render());
}

void build(const BuildArgs& args) {
  check_output_paths({}, {{"-o", args.output}});
  const Graph graph = build_model(args.name, args.options);
  save_onnx(graph, args.output);
  fmt::print("wrote {} ({}) to {}\n", args.name, graph.name, args.output);
}

// CLI11 binds plain values; these forward an option to an std::optional field only when given.
template <typename T>
void optional_option(CLI::App* cmd, const std::string& flags, std::optional<T>& target, const std::string& help) {
  cmd->add_option_function<T>(
      flags, [&target](const T& v) { target = v; }, help);
}

}  // namespace

void add_zoo_command(CLI::App& app) {
  CLI::App* zoo = app.add_subcommand("zoo", "The paper's models: list them, build them as ONNX");
  zoo->require_subcommand(1);
  zoo->footer("Example:\n  stride zoo list\n  stride zoo build cnn2d --classes 150 -o cnn2d.onnx");

  zoo->add_subcommand("list", "List the zoo's models")->callback(list);

  auto args = std::make_shared<BuildArgs>();
  CLI::App* b = zoo->add_subcommand("build", "Build a zoo model with seeded random weights and save it as ONNX");
  b->add_option("name", args->name, "Model name (see 'stride zoo list')")->required();
  b->add_option("--output,-o", args->output, "ONNX file to write")->required();
  optional_option(b, "--classes", args->options.classes, "Classes of the softmax head (0: no head)");
  optional_option(b, "--height", args->options.height, "Input height");
  optional_option(b, "--width", args->options.width, "Input width");
  optional_option(b, "--frames", args->options.frames, "Frames per sample");
  b->add_option("--width-mult", args->options.width_mult, "Channel multiplier (e.g. 0.25 for tiny test models)")
      ->capture_default_str()
      ->check(positive());
  add_seed_option(b, args->options.seed, "of the weight initialisation");
  // The model's declared batch dimension, not a run's: -1 leaves it to each run.
  b->add_option("--batch", args->options.batch, "Samples per inference; the model declares it (-1: each run chooses)")
      ->capture_default_str()
      ->check(in_range(-1, 4096));
  b->footer(
      "Example:\n  stride zoo build gaitset -o gaitset.onnx\n  stride zoo build cnn3d --width-mult 0.25 --classes 10 "
      "-o tiny3d.onnx");
  b->callback([args] { build(*args); });
}

}  // namespace stride::cli
