// `stride info`: what a model is and what it costs, per layer and in total, beside the paper's
// Table 2 figures for the zoo models.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/core/printable.h"
#include "stride/core/units.h"
#include "stride/engine/inputs.h"
#include "stride/ir/cost.h"
#include "stride/mcu/model_needs.h"
#include "stride/measure/result_header.h"
#include "stride/report/text_table.h"
#include "stride/zoo/zoo.h"

namespace stride::cli {
namespace {

struct InfoArgs {
  std::string model;
  std::string json;
  int64_t batch = 1;
  bool layers = true;
  std::string board;  // also: what the model needs of this microcontroller (stride export-c)
};

// Layers as the paper counts them in Table 2: weighted layers (conv, dense) and pooling layers.
bool is_counted_layer(const std::string& op) {
  return op == "Conv" || op == "Gemm" || op == "MatMul" || op == "MaxPool" || op == "AveragePool" || op == "LSTM";
}

int64_t counted_layers(const ModelCost& cost) {
  int64_t n = 0;
  for (const auto& l : cost.layers) n += is_counted_layer(l.op_type);
  return n;
}

std::string model_name(const Graph& graph) {
  auto it = graph.metadata.find("stride.model");
  return it == graph.metadata.end() ? std::string() : it->second;
}

nlohmann::json to_json(const std::string& path, const Graph& graph, const ModelCost& cost, int64_t batch) {
  nlohmann::json j;
  j["model"] = model_reference(path, graph);
  j["batch"] = batch;
  j["metadata"] = graph.metadata;
  for (const auto& v : graph.inputs)
    j["inputs"].push_back({{"name", v.name}, {"dtype", dtype_name(v.dtype)}, {"shape", v.shape}});
  for (const auto& v : graph.outputs)
    j["outputs"].push_back({{"name", v.name}, {"dtype", dtype_name(v.dtype)}, {"shape", v.shape}});
  for (const auto& l : cost.layers)
    j["layers"].push_back({{"node", l.node},
                           {"op", l.op_type},
                           {"output_shape", l.output_shape},
                           {"params", l.params},
                           {"macs", l.macs},
                           {"flops", l.flops()},
                           {"activations", l.activations}});
  j["totals"] = {{"params", cost.params},          {"macs", cost.macs},
                 {"flops", cost.flops()},          {"activations", cost.activations},
                 {"layers", counted_layers(cost)}, {"weight_bytes", cost.total_weight_bytes()}};
  for (const auto& [dtype, bytes] : cost.weight_bytes) j["totals"]["weight_bytes_by_dtype"][dtype_name(dtype)] = bytes;
  if (const auto paper = paper_table2(model_name(graph)))
    j["paper_table2"] = {{"layers", paper->layers},
                         {"params_millions", paper->params_millions},
                         {"activations_millions", paper->activations_millions},
                         {"gflop", paper->gflop}};
  return j;
}

void print_text(const Graph& graph, const ModelCost& cost, const InfoArgs& args) {
  // Names come from the file: shown with their control characters escaped.
  fmt::print("model {}{}\n", printable(graph.name),
             model_name(graph).empty() ? "" : " (zoo: " + printable(model_name(graph)) + ")");
  for (const auto& v : graph.inputs)
    fmt::print("  input  {}  {} {}\n", printable(v.name), dtype_name(v.dtype), shape_str(v.shape));
  for (const auto& v : graph.outputs)
    fmt::print("  output {}  {} {}\n", printable(v.name), dtype_name(v.dtype), shape_str(v.shape));
  fmt::print("\n");
  if (args.layers) {
    TextTable t({{"#"},
                 {"node", TextTable::Align::left},
                 {"op", TextTable::Align::left},
                 {"output"},
                 {"params"},
                 {"MACs"},
                 {"activations"}});
    int index = 0;
    for (const auto& l : cost.layers)
      t.add_row({std::to_string(index++), printable(l.node), printable(l.op_type), shape_str(l.output_shape), with_thousands(l.params),
                 with_thousands(l.macs), with_thousands(l.activations)});
    t.add_separator();
    t.add_row({"", "total", "", "", with_thousands(cost.params), with_thousands(cost.macs),
               with_thousands(cost.activations)});
    fmt::print("{}\n", t.render());
  }
  fmt::print("batch {}: {} parameters, {} MACs ({}), {} activation elements\n", args.batch,
             with_thousands(cost.params), with_thousands(cost.macs), units::format_macs(cost.macs),
             with_thousands(cost.activations));
  std::string bytes;
  for (const auto& [dtype, n] : cost.weight_bytes)
    bytes += fmt::format("  {} {}", dtype_name(dtype), with_thousands(n));
  fmt::print("weight bytes:{}\n", bytes.empty() ? " none" : bytes);

  if (const auto paper = paper_table2(model_name(graph))) {
    fmt::print("\nbeside the paper's Table 2 (Ruiz-Barroso et al. 2022, batch 1):\n");
    TextTable t({{"", TextTable::Align::left}, {"layers"}, {"params"}, {"activations"}, {"GMAC"}});
    t.add_row({"paper", std::to_string(paper->layers), fmt::format("{:.2f} M", paper->params_millions),
               fmt::format("{:.2f} M", paper->activations_millions),
               fmt::format("{:.3f}", paper->gflop / 2)});
    t.add_row({"stride", std::to_string(counted_layers(cost)), fmt::format("{:.2f} M", cost.params / 1e6),
               fmt::format("{:.2f} M", cost.activations / 1e6 / static_cast<double>(args.batch)),
               fmt::format("{:.3f}", units::gmac(static_cast<double>(cost.macs) / static_cast<double>(args.batch)))});
    fmt::print("{}", t.render());
    fmt::print(
        "(stride counts conv, dense, matmul and pooling layers; activations are the outputs of every\n"
        " computing node, views such as Reshape excluded)\n");
  }
}

void info(const InfoArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}}, {json_output.output_path()});
  const Graph graph = load_model(args.model);
  const ModelCost cost = model_cost(graph, input_shapes_at_batch(graph, args.batch));
  print_text(graph, cost, args);
  nlohmann::json j = to_json(args.model, graph, cost, args.batch);
  if (!args.board.empty()) {
    // What `stride export-c` would need, without writing anything; a model it cannot generate is refused.
    const mcu::Board& board = mcu::board_named(args.board);
    const mcu::ModelNeeds needs = mcu::model_needs(mcu::lower_to_integer_program(graph));
    const std::string problem = mcu::fit_problem(board, needs.flash_bytes(), needs.ram_bytes());
    fmt::print("\nas C for {} ({}), stride export-c:\n{}{}\n", board.name, board.description,
               mcu::needs_table(needs, board), problem.empty() ? "it fits" : "does not fit: " + problem);
    j["board"] = {{"name", board.name}, {"needs", mcu::needs_json(needs)}, {"fits", problem.empty()}};
  }
  // One thread: the cost model is all it computes.
  json_output.write(result_document("info", 1, j));
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* cmd =
      app.add_subcommand("info", "Show a model's inputs, outputs and per-layer cost (params, MACs, activations)");
  cmd->add_option("model", args->model, "ONNX model")->required()->check(CLI::ExistingFile);
  add_json_option(cmd, args->json);
  add_batch_option(cmd, args->batch, "the one counted");
  cmd->add_flag("!--no-layers", args->layers, "Totals only, no per-layer table");
  cmd->add_option("--board", args->board,
                  "Also the flash, arena and stack a full-integer model needs as C on this microcontroller "
                  "(stride export-c), beside the board's");
  cmd->footer(
      "Example:\n  stride zoo build cnn2d -o cnn2d.onnx && stride info cnn2d.onnx --no-layers\n"
      "  stride info cnn2d.onnx --json - > cnn2d-info.json   # the JSON alone on standard output\n"
      "  stride info har-cnn-int.onnx --board nano33ble         # a full-integer model's needs as C");
  cmd->callback([args] { info(*args); });
}

}  // namespace stride::cli
