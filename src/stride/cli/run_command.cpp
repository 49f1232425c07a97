// `stride run`: one inference of a model on given or random inputs.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/make_backend.h"
#include "stride/io/tensor_file.h"

namespace stride::cli {
namespace {

struct RunArgs {
  std::string model;
  std::vector<std::string> inputs;
  bool random = false;
  int64_t batch = 1;
  uint64_t seed = 0;
  std::string backend;
  int threads = 0;
  std::string output_dir;
  std::string format = "npy";
};

// Tensor files are named after graph values; characters that cannot be in a file name become '_'.
std::string file_name_for(const std::string& value, const std::string& extension) {
  std::string name = value;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return c == '/' || c == '\\' || c == ':'; }, '_');
  return name + "." + extension;
}

std::string summary(const Tensor& t) {
  const Tensor f = t.to_f32();
  const auto v = f.values<float>();
  if (v.empty()) return "(empty)";
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  return fmt::format("min {:.6g}  max {:.6g}  mean {:.6g}", *lo, *hi, mean);
}

void run(const RunArgs& args) {
  std::vector<InputPath> files = {{"model", args.model}};
  for (const std::string& spec : args.inputs) files.push_back({"file", input_file_of(spec)});
  check_output_paths(files, {{"--output-dir", args.output_dir, OutputPath::Kind::folder}});
  const Graph graph = load_model(args.model);
  // The files it will write, named after the graph's values (none is an input yet in a new folder).
  if (std::filesystem::is_directory(args.output_dir)) {
    std::vector<OutputPath> written;
    const auto add = [&](const std::string& value) {
      written.push_back({"--output-dir", std::filesystem::path(args.output_dir) / file_name_for(value, args.format)});
    };
    if (args.random)
      for (const auto& input : graph.inputs) add(input.name);
    for (const auto& output : graph.outputs) add(output.name);
    check_output_paths(files, written);
  }
  // A model without inputs (a constant, say) needs neither.
  if (!graph.inputs.empty() && args.random == !args.inputs.empty())
    fail("give either --input NAME=FILE for each input or --random");
  const TensorMap inputs = args.random ? random_inputs(graph, input_shapes_at_batch(graph, args.batch), args.seed)
                                       : read_inputs(graph, args.inputs);
  CompileOptions options;
  options.threads = args.threads;
  for (const auto& [name, t] : inputs) options.input_shapes[name] = t.shape();
  const BackendChoice choice = resolve_backend(args.backend, graph, options);
  const auto backend = make_backend(choice.name);
  const TensorMap outputs = backend->compile(graph, options)->run(inputs);

  if (!args.output_dir.empty()) std::filesystem::create_directories(args.output_dir);
  // Random inputs exist nowhere else: writing them lets another engine be fed the very same tensors.
  if (args.random && !args.output_dir.empty()) {
    for (const auto& [name, t] : inputs) {
      const auto path = std::filesystem::path(args.output_dir) / file_name_for(name, args.format);
      write_tensor_file(path, t, name);
      fmt::print("input {} written to {}\n", name, path.string());
    }
  }
  for (const auto& out : graph.outputs) {
    const Tensor& t = outputs.at(out.name);
    fmt::print("{}  {} {}  {}\n", out.name, dtype_name(t.dtype()), shape_str(t.shape()), summary(t));
    if (!args.output_dir.empty()) {
      const auto path = std::filesystem::path(args.output_dir) / file_name_for(out.name, args.format);
      write_tensor_file(path, t, out.name);
      fmt::print("  written to {}\n", path.string());
    }
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a model once on input tensors (.npy or ONNX .pb) or random inputs");
  cmd->add_option("model", args->model, "ONNX model")->required()->check(CLI::ExistingFile);
  cmd->add_option("--input,-i", args->inputs, "NAME=FILE for each model input (.npy or .pb)");
  cmd->add_flag("--random", args->random, "Feed uniform random inputs in [0,1) instead");
  add_batch_option(cmd, args->batch, "with --random (it fills the unknown dimensions)");
  add_seed_option(cmd, args->seed, "of --random");
  add_backend_option(cmd, args->backend,
                     "the one that runs the model (auto is remembered in ~/.cache/stride/backend-choices.json)");
  add_threads_option(cmd, args->threads);
  cmd->add_option("--output-dir,-o", args->output_dir,
                  "Write every output (and, with --random, every input) as a tensor file named after it");
  cmd->add_option("--format", args->format, "Output file format")
      ->check(CLI::IsMember({"npy", "pb"}))
      ->capture_default_str();
  cmd->footer(
      "Example:\n"
      "  stride run gaitset.onnx --input silhouettes=seq.npy --output-dir out/\n"
      "  stride run cnn2d.onnx --random --batch 4 --backend ref");
  cmd->callback([args] { run(*args); });
}

}  // namespace stride::cli
