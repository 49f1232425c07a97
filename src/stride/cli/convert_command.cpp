// `stride convert`: rewrites a model into an equivalent or cheaper one that other runtimes can run.
// The one conversion so far: every 3-D convolution into a spatial and a temporal 2-D convolution.
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/compress/conv3d_to_2d.h"
#include "stride/core/units.h"
#include "stride/core/usage_error.h"
#include "stride/ir/cost.h"
#include "stride/measure/result_header.h"
#include "stride/measure/unmeasured.h"
#include "stride/onnx/onnx_export.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

struct ConvertArgs {
  std::string model;
  std::string output;
  bool to_2d = false;
  std::string init = "fresh";
  std::optional<int64_t> rank;
  std::optional<double> rank_fraction;
  uint64_t seed = 0;
  std::string json;
};

std::string rank_text(const ConvertedConv& l) {
  return l.split ? fmt::format("{}/{}", l.rank, l.full_rank) : "per frame";
}

std::string error_text(const ConvertedConv& l) {
  if (!l.split) return "exact";
  return l.relative_error ? fmt::format("{:.3e}", *l.relative_error) : "new weights";
}

void print_layers(const Conv3dTo2dResult& r) {
  TextTable t({{"3-D conv", TextTable::Align::left},
               {"kernel"},
               {"rank/full"},
               {"rel. error"},
               {"params before"},
               {"params after"},
               {"MACs before"},
               {"MACs after"}});
  for (const ConvertedConv& l : r.layers)
    t.add_row({l.node, fmt::format("{}", fmt::join(l.kernel, "×")), rank_text(l), error_text(l),
               with_thousands(l.params_before), with_thousands(l.params_after), with_thousands(l.macs_before),
               with_thousands(l.macs_after)});
  fmt::print("{}", t.render());
}

nlohmann::json to_json(const ConvertArgs& args, const Graph& graph, const Conv3dTo2dResult& r,
                       const ModelCost& before, const ModelCost& after) {
  nlohmann::json j = {{"model", model_reference(args.model, graph)},
                      {"output", model_reference(args.output, r.graph)},
                      {"init", args.init}};
  for (const ConvertedConv& l : r.layers) {
    nlohmann::json layer = {{"node", l.node},
                            {"kernel", l.kernel},
                            {"split", l.split},
                            {"rank", l.rank},
                            {"full_rank", l.full_rank},
                            {"nodes", l.nodes},
                            {"params_before", l.params_before},
                            {"params_after", l.params_after},
                            {"macs_before", l.macs_before},
                            {"macs_after", l.macs_after}};
    put_figure(layer, "relative_error", l.relative_error, "new weights (--init fresh): no factorisation to compare");
    j["layers"].push_back(std::move(layer));
  }
  j["before"] = {{"params", before.params}, {"macs", before.macs}, {"flops", before.flops()}};
  j["after"] = {{"params", after.params}, {"macs", after.macs}, {"flops", after.flops()}};
  return j;
}

void convert(const ConvertArgs& args) {
  if (!args.to_2d) usage_fail("choose a conversion: --3d-to-2d (the only one so far)");
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}}, {{"-o", args.output}, json_output.output_path()});
  const Graph graph = load_model(args.model);
  Conv3dTo2dOptions options;
  options.init = args.init == "svd" ? Conv3dTo2dInit::svd : Conv3dTo2dInit::fresh;
  options.rank = args.rank;
  options.rank_fraction = args.rank_fraction;
  options.seed = args.seed;
  const Conv3dTo2dResult result = convert_3d_to_2d(graph, options);

  const ModelCost before = model_cost(graph), after = model_cost(result.graph);
  fmt::print("{}: {} 3-D convolution{} → 2-D, {}\n", args.model, result.layers.size(),
             result.layers.size() == 1 ? "" : "s", result.graph.metadata.at("stride.convert.3d_to_2d"));
  print_layers(result);
  fmt::print("model at batch 1: {} → {} parameters, {} → {}\n", with_thousands(before.params),
             with_thousands(after.params), units::format_macs(before.macs), units::format_macs(after.macs));
  if (options.init == Conv3dTo2dInit::fresh)
    fmt::print("the new weights are random: train the model (stride train) before using it\n");

  save_onnx(result.graph, args.output);
  fmt::print("wrote {}\n", args.output);
  if (json_output.requested())
    json_output.write(result_document("convert", 0, to_json(args, graph, result, before, after)));
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Convert a model: every 3-D convolution into a spatial and a temporal 2-D convolution (--3d-to-2d)");
  cmd->add_option("model", args->model, "ONNX model")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", args->output, "ONNX file to write (not the input)")->required();
  cmd->add_flag("--3d-to-2d", args->to_2d,
                "Each Conv3D (kt,kh,kw) → Conv2D (kh,kw) on every frame, then Conv2D (kt,1) over frames × positions");
  cmd->add_option("--init", args->init,
                  "fresh: He-normal weights and a ReLU between the halves, to be trained (as the paper did); "
                  "svd: the 3-D kernel factorised, no ReLU, exact at full rank")
      ->check(CLI::IsMember({"fresh", "svd"}))
      ->capture_default_str();
  cmd->add_option_function<int64_t>(
         "--rank", [args](const int64_t& r) { args->rank = r; },
         "svd: at most R channels between the halves of each layer (default: full rank, exact)")
      ->check(positive());
  cmd->add_option_function<double>(
      "--rank-fraction", [args](const double& f) { args->rank_fraction = f; },
      "svd: keep ceil(F × full rank) channels per layer, F in (0, 1]");
  add_seed_option(cmd, args->seed, "fresh: of the weight initialisation");
  add_json_option(cmd, args->json);
  cmd->footer(
      "Example:\n"
      "  stride zoo build cnn3d -o cnn3d.onnx\n"
      "  stride convert cnn3d.onnx --3d-to-2d --init svd -o cnn3d-2d.onnx      # same outputs, no Conv3D\n"
      "  stride convert cnn3d.onnx --3d-to-2d --init svd --rank-fraction 0.5 -o cnn3d-2d-half.onnx\n"
      "  stride convert cnn3d.onnx --3d-to-2d --seed 1 -o cnn3d-fresh.onnx     # new weights: train it next");
  cmd->callback([args] { convert(*args); });
}

}  // namespace stride::cli
