// `stride compare A.onnx B.onnx --data D`: both models on the same inputs, and the mean squared error
// of every feature map they share (same value name and shape) — how far a converted model's maps are
// from the original's, as Wang and Yuan measure its Ghost modules (compress/feature_map_compare.h).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/calibration_inputs.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/compress/feature_map_compare.h"
#include "stride/engine/select/make_backend.h"
#include "stride/measure/result_header.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

struct CompareArgs {
  std::string a, b;
  std::string data;
  int64_t samples = 16;
  const CLI::Option* samples_option = nullptr;
  std::string backend = "auto";
  int threads = 0;
  std::string json;
};

std::string scientific(double v) { return fmt::format("{:.3e}", v); }

void compare(const CompareArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.a}, {"model", args.b}, {"dataset", args.data}}, {json_output.output_path()});
  const Graph a = load_model(args.a), b = load_model(args.b);
  const CalibrationInputs inputs = read_calibration_inputs(a, args.data, args.samples);
  const int64_t used = honoured_samples(*args.samples_option, args.samples, inputs.samples, "inputs");
  (void)used;
  const BackendChoice choice = resolve_backend(args.backend, a, kCalibrationBatch, args.threads);
  const std::unique_ptr<Backend> backend = make_backend(choice.name);
  const FeatureMapComparison c = compare_feature_maps(a, b, inputs.batches, *backend, args.threads);

  fmt::print(
      "{} vs {}: {} inputs of {}, {} backend; {} shared feature maps ({} of the first model's values have no "
      "counterpart)\n\n",
      args.a, args.b, c.samples, args.data, choice.name, c.layers.size(), c.unmatched);
  TextTable t({{"value", TextTable::Align::left},
               {"op", TextTable::Align::left},
               {"shape"},
               {"MSE"},
               {"max |a-b|"},
               {"mean a²"}});
  for (const FeatureMapDifference& d : c.layers)
    t.add_row(
        {d.value, d.op_type, shape_str(d.shape), scientific(d.mse), scientific(d.max_abs), scientific(d.mean_square)});
  fmt::print("{}", t.render());
  const auto convs = first_convolutions(c);
  if (!convs.empty()) {
    std::vector<std::string> parts;
    for (const FeatureMapDifference* d : convs) parts.push_back(fmt::format("{} {:.3g}", d->value, d->mse * 1e3));
    fmt::print("\nfirst convolutions' MSE (×10⁻³; Wang and Yuan report 3.3, 11.0, 23.9 for its Ghost modules): {}\n",
               fmt::join(parts, ", "));
  }

  if (!json_output.requested()) return;
  nlohmann::json j = {{"model", model_reference(args.a, a)},
                      {"other", model_reference(args.b, b)},
                      {"dataset", args.data},
                      {"backend", choice.name},
                      {"samples", c.samples},
                      {"unmatched", c.unmatched},
                      {"layers", nlohmann::json::array()}};
  for (const FeatureMapDifference& d : c.layers)
    j["layers"].push_back({{"value", d.value},
                           {"op", d.op_type},
                           {"shape", d.shape},
                           {"mse", d.mse},
                           {"max_abs", d.max_abs},
                           {"mean_square", d.mean_square},
                           {"convolution", d.convolution}});
  json_output.write(result_document("compare", args.threads, j));
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run two models on the same inputs and print the mean squared error of each feature map they share");
  cmd->add_option("model", a->a, "The original ONNX model")->required()->check(CLI::ExistingFile);
  cmd->add_option("other", a->b, "The model to compare with it (converted, pruned, quantized...)")
      ->required()
      ->check(CLI::ExistingFile);
  add_data_option(cmd, a->data, "its training subjects' samples (or a folder of .npy inputs) feed both models")
      ->required();
  a->samples_option = add_samples_option(cmd, a->samples, "those both models run on");
  add_backend_option(cmd, a->backend, "chosen on the first model; it runs both");
  add_threads_option(cmd, a->threads);
  add_json_option(cmd, a->json);
  cmd->footer(
      "Maps match by value name and shape; a Ghost module's Concat keeps its convolution's output name.\n"
      "Example:\n"
      "  stride convert resnet.onnx --ghost -o resnet-ghost.onnx\n"
      "  stride compare resnet.onnx resnet-ghost.onnx --data casia/ --samples 16 --backend ref");
  cmd->callback([a] { compare(*a); });
}

}  // namespace stride::cli
