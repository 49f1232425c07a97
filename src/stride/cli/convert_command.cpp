// `stride convert`: rewrites a model into an equivalent or cheaper one that other runtimes can run:
// every 3-D convolution into a spatial and a temporal 2-D convolution (--3d-to-2d), or every eligible
// 2-D convolution into a Ghost module (--ghost).
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
#include "stride/compress/ghost_conversion.h"
#include "stride/core/error.h"
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
  bool ghost = false;
  std::optional<int64_t> ratio;  // --ghost; 2 unless given
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

nlohmann::json to_json(const ConvertArgs& args, const Graph& graph, const Conv3dTo2dResult& r, const ModelCost& before,
                       const ModelCost& after) {
  nlohmann::json j = {{"conversion", "3d-to-2d"},
                      {"model", model_reference(args.model, graph)},
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

void print_ghost_layers(const GhostResult& r) {
  TextTable t({{"conv", TextTable::Align::left},
               {"kernel"},
               {"maps"},
               {"primary + cheap"},
               {"params before"},
               {"params after"},
               {"MACs before"},
               {"MACs after"}});
  for (const GhostedConv& l : r.layers)
    t.add_row({l.node, fmt::format("{}", fmt::join(l.kernel, "×")), std::to_string(l.maps),
               fmt::format("{} + {}", l.primary_maps, l.maps - l.primary_maps), with_thousands(l.params_before),
               with_thousands(l.params_after), with_thousands(l.macs_before), with_thousands(l.macs_after)});
  fmt::print("{}", t.render());
  for (const SkippedConv& s : r.skipped) fmt::print("left as it is: {} ({})\n", s.node, s.reason);
}

nlohmann::json ghost_json(const ConvertArgs& args, int64_t ratio, const Graph& graph, const GhostResult& r,
                          const ModelCost& before, const ModelCost& after) {
  nlohmann::json j = {{"conversion", "ghost"},
                      {"model", model_reference(args.model, graph)},
                      {"output", model_reference(args.output, r.graph)},
                      {"ratio", ratio},
                      {"layers", nlohmann::json::array()},
                      {"skipped", nlohmann::json::array()}};
  for (const GhostedConv& l : r.layers)
    j["layers"].push_back({{"node", l.node},
                           {"kernel", l.kernel},
                           {"maps", l.maps},
                           {"primary_maps", l.primary_maps},
                           {"kept_filters", l.kept},
                           {"nodes", l.nodes},
                           {"params_before", l.params_before},
                           {"params_after", l.params_after},
                           {"macs_before", l.macs_before},
                           {"macs_after", l.macs_after}});
  for (const SkippedConv& s : r.skipped) j["skipped"].push_back({{"node", s.node}, {"reason", s.reason}});
  j["before"] = {{"params", before.params}, {"macs", before.macs}, {"flops", before.flops()}};
  j["after"] = {{"params", after.params}, {"macs", after.macs}, {"flops", after.flops()}};
  return j;
}

void convert_ghost(const ConvertArgs& args, const JsonOutput& json_output) {
  const int64_t ratio = args.ratio.value_or(2);
  const Graph graph = load_model(args.model);
  GhostResult result;
  try {
    result = convert_to_ghost(graph, {.ratio = ratio});
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    fail("{}: {}", args.model, e.what());
  }
  const ModelCost before = model_cost(graph), after = model_cost(result.graph);
  fmt::print("{}: {} of {} convolutions → Ghost modules (ratio {}: primary conv, depthwise 3×3 cheap conv, Concat)\n",
             args.model, result.layers.size(), result.layers.size() + result.skipped.size(), ratio);
  print_ghost_layers(result);
  fmt::print("model at batch 1: {} → {} parameters, {} → {}\n", with_thousands(before.params),
             with_thousands(after.params), units::format_macs(before.macs), units::format_macs(after.macs));
  fmt::print(
      "each primary conv keeps the filters of largest L1 norm; the cheap maps start as copies of the primary "
      "ones: fine-tune the model (stride train {} --data DIR --epochs N -o ...) before using it\n",
      args.output);
  save_onnx(result.graph, args.output);
  fmt::print("wrote {}\n", args.output);
  if (json_output.requested())
    json_output.write(result_document("convert", 0, ghost_json(args, ratio, graph, result, before, after)));
}

void convert(const ConvertArgs& args) {
  if (args.to_2d == args.ghost)
    usage_fail("choose {}: --3d-to-2d or --ghost", args.to_2d ? "one conversion, not both" : "a conversion");
  if (args.ratio && !args.ghost) usage_fail("--ratio applies to --ghost only");
  if (args.ghost && (args.rank || args.rank_fraction || args.init != "fresh"))
    usage_fail("--init, --rank and --rank-fraction apply to --3d-to-2d only");
  const JsonOutput json_output(args.json);
  if (args.ghost) {
    check_output_paths({{"model", args.model}}, {{"-o", args.output}, json_output.output_path()});
    convert_ghost(args, json_output);
    return;
  }
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
      "convert",
      "Convert a model: every 3-D convolution into a spatial and a temporal 2-D convolution (--3d-to-2d), or "
      "every eligible 2-D convolution into a Ghost module (--ghost)");
  cmd->add_option("model", args->model, "ONNX model")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", args->output, "ONNX file to write (not the input)")->required();
  cmd->add_flag("--3d-to-2d", args->to_2d,
                "Each Conv3D (kt,kh,kw) → Conv2D (kh,kw) on every frame, then Conv2D (kt,1) over frames × positions");
  cmd->add_flag("--ghost", args->ghost,
                "Each 2-D Conv (group 1, output maps a multiple of the ratio, at least 2×ratio) → primary Conv of "
                "1/ratio of the maps + depthwise 3×3 cheap Conv of the rest + Concat (GhostNet; L-ResNet-50)");
  cmd->add_option_function<int64_t>(
         "--ratio", [args](const int64_t& r) { args->ratio = r; },
         "--ghost: output maps per primary map (default 2: half the maps by the cheap conv)")
      ->check(CLI::Range(int64_t{2}, int64_t{64}));
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
      "  stride convert cnn3d.onnx --3d-to-2d --seed 1 -o cnn3d-fresh.onnx     # new weights: train it next\n"
      "  stride zoo build resnet50-gei -o resnet.onnx\n"
      "  stride convert resnet.onnx --ghost -o resnet-ghost.onnx              # about half the weights; fine-tune it");
  cmd->callback([args] { convert(*args); });
}

}  // namespace stride::cli
