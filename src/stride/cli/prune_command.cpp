// `stride prune`: filter pruning as in the paper (global percentile over filter scores, physical
// removal, fine-tuning), iteratively if asked, or unstructured magnitude pruning as its baseline;
// and `--show-groups`, the channel groups that must be removed together.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/engine_speedup.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/compress/filter_pruning.h"
#include "stride/compress/iterative_pruning.h"
#include "stride/compress/magnitude_pruning.h"
#include "stride/compress/pruning_stages.h"
#include "stride/compress/sensitivity_allocation.h"
#include "stride/core/atomic_file.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/cost.h"
#include "stride/measure/result_header.h"
#include "stride/measure/unmeasured.h"
#include "stride/onnx/onnx_export.h"
#include "stride/pipeline/sample_batches.h"
#include "stride/report/text_table.h"
#ifdef STRIDE_WITH_TORCH
#include "stride/cli/fine_tune.h"
#endif

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

struct PruneArgs {
  std::string model;
  std::string output;
  std::string criterion = "l1";
  double ratio = 0.3;
  std::vector<std::string> ratio_for;
  std::string by_sensitivity;  // a `stride sensitivity --json` table: per-group ratios meeting --ratio
  std::vector<std::string> stages;
  bool normalize = false;
  double max_layer_ratio = 1.0;
  int64_t round_to = 1;
  bool whole_blocks = false;
  bool dense = false;
  double sparsity = 0.5;
  int steps = 1;
  bool allow_short = false;
  int finetune_epochs = 0;
  std::optional<double> finetune_lr;
  std::string data;
  std::string train_on = "train-subjects";
  int64_t samples = 32;
  const CLI::Option* samples_option = nullptr;  // given or not: a request or a default (honoured_samples)
  std::string backend;
  uint64_t seed = 1;
  int threads = 0;
  bool show_groups = false;
  bool bench = false;
  std::vector<int64_t> bench_batches;
  std::string json;
};

// "PATTERN=RATIO" → (PATTERN, RATIO).
std::pair<std::string, double> parse_ratio_for(const std::string& spec) {
  const size_t eq = spec.rfind('=');
  if (eq == std::string::npos || eq == 0) usage_fail("--ratio-for '{}': expected PATTERN=RATIO, e.g. 'gl_*=0.2'", spec);
  try {
    size_t used = 0;
    const double ratio = std::stod(spec.substr(eq + 1), &used);
    if (used != spec.size() - eq - 1) throw std::invalid_argument(spec);
    return {spec.substr(0, eq), ratio};
  } catch (const std::logic_error&) {
    usage_fail("--ratio-for '{}': '{}' is not a number", spec, spec.substr(eq + 1));
  }
}

// Checked before any work: the outputs must be writable and must not be an input.
void check_output(const PruneArgs& args, const JsonOutput& json_output) {
  if (args.output.empty()) fail("-o/--output is required (unless --show-groups)");
  check_output_paths({{"model", args.model}, {"dataset", args.data}, {"file", args.by_sensitivity}},
                     {{"-o", args.output}, json_output.output_path()});
}

std::string percent(double fraction) { return fmt::format("{:.1f}", 100 * fraction); }

// Before/after figures: what the paper and Balemans et al. (2024) report for a compressed model.
nlohmann::json cost_report(const Graph& before, const Graph& after, const fs::path& input, const fs::path& output) {
  const ModelCost a = model_cost(before), b = model_cost(after);
  const auto file_a = static_cast<int64_t>(fs::file_size(input)), file_b = static_cast<int64_t>(fs::file_size(output));
  TextTable table({{"", TextTable::Align::left}, {"before"}, {"after"}, {"after / before"}});
  auto row = [&](const std::string& name, int64_t x, int64_t y) {
    table.add_row({name, with_thousands(x), with_thousands(y), fmt::format("{:.3f}", double(y) / double(x))});
  };
  row("parameters", a.params, b.params);
  row("MACs (batch 1)", a.macs, b.macs);
  row("activations", a.activations, b.activations);
  row("weight bytes", a.total_weight_bytes(), b.total_weight_bytes());
  row("file bytes", file_a, file_b);
  // A model declared with an empty input (batch 0) does no MACs: it has no speed-up to state.
  const bool has_speedup = a.macs > 0;
  const double speedup = double(a.macs) / double(std::max<int64_t>(b.macs, 1));
  fmt::print("{}theoretical speed-up (MACs before / after): {}; compression (file): {:.2f}x\n", table.render(),
             has_speedup ? fmt::format("{:.2f}x", speedup) : "n/a (no MACs at the model's declared input shape)",
             double(file_a) / double(file_b));
  nlohmann::json j = {{"params", {a.params, b.params}},
                      {"macs", {a.macs, b.macs}},
                      {"activations", {a.activations, b.activations}},
                      {"weight_bytes", {a.total_weight_bytes(), b.total_weight_bytes()}},
                      {"file_bytes", {file_a, file_b}},
                      {"compression_ratio", double(file_a) / double(file_b)}};
  put_figure(j, "theoretical_speedup", has_speedup ? std::optional(speedup) : std::nullopt,
             "the model does no MACs at its declared input shape");
  return j;
}

nlohmann::json layer_report(const compress::Selection& selection) {
  TextTable table({{"layer", TextTable::Align::left},
                   {"filters"},
                   {"kept"},
                   {"real (requested) %"},
                   {"note", TextTable::Align::left}});
  nlohmann::json layers = nlohmann::json::array();
  for (const compress::LayerSelection& l : selection.layers) {
    const double real = 1.0 - double(l.after) / double(l.before);
    table.add_row({l.node, std::to_string(l.before), std::to_string(l.after),
                   fmt::format("{} ({})", percent(real), percent(l.requested)),
                   l.blocked.empty() ? "" : "not prunable"});
    layers.push_back({{"node", l.node},
                      {"before", l.before},
                      {"after", l.after},
                      {"real_ratio", real},
                      {"requested_ratio", l.requested},
                      {"blocked", l.blocked}});
  }
  fmt::print("{}", table.render());
  return layers;
}

Graph fine_tuned(const Graph& model, const PruneArgs& args) {
#ifdef STRIDE_WITH_TORCH
  train::TrainOptions options;
  options.epochs = args.finetune_epochs;
  options.learning_rate = args.finetune_lr;
  options.seed = args.seed;
  options.threads = args.threads;
  return fine_tune(model, load_training_set(model, args.data, args.train_on, args.threads), options);
#else
  (void)model, (void)args;
  usage_fail("--finetune-epochs needs a build with LibTorch");
#endif
}

// --by-sensitivity: the table's groups get the ratios that meet --ratio with the least accuracy drop
// any group suffers alone; the groups the table lacks are kept whole.
void allocate_by_sensitivity(const PruneArgs& args, compress::SelectionRequest& requested, nlohmann::json& report) {
  if (!args.ratio_for.empty() || !args.stages.empty())
    usage_fail("--by-sensitivity chooses every group's ratio: it does not go with --ratio-for or --stage");
  const compress::SensitivityTable table =
      compress::sensitivity_table(nlohmann::json::parse(read_file(args.by_sensitivity), nullptr, false),
                                  args.by_sensitivity);
  const compress::SensitivityAllocation a = compress::allocate_by_sensitivity(table.sensitivity, args.ratio);
  requested.ratio = 0;
  TextTable t({{"group", TextTable::Align::left}, {"filters"}, {"ratio %"}, {"drop alone (points)"}});
  nlohmann::json groups = nlohmann::json::array();
  for (const compress::GroupRatio& g : a.groups) {
    requested.ratio_for.emplace_back(g.pattern, g.ratio);
    t.add_row({g.layers, std::to_string(g.channels), percent(g.ratio), fmt::format("{:.2f}", g.drop)});
    groups.push_back({{"layers", g.layers}, {"channels", g.channels}, {"ratio", g.ratio}, {"drop", g.drop}});
  }
  fmt::print("ratios by sensitivity ({}, measured on the {} subjects): every group loses at most {:.2f} points "
             "alone\n{}\n",
             args.by_sensitivity, table.split.empty() ? "unnamed" : table.split, a.drop_bound, t.render());
  report["by_sensitivity"] = {
      {"table", args.by_sensitivity}, {"split", table.split}, {"drop_bound", a.drop_bound}, {"groups", groups}};
}

void prune_structured(const PruneArgs& args, const Graph& original, nlohmann::json& report) {
  std::vector<compress::PruningStage> stages;
  for (const std::string& spec : args.stages) stages.push_back(compress::parse_stage(spec));
  compress::SelectionRequest requested{.ratio = stages.empty() ? args.ratio : 0.0,
                                       .ratio_for = {},
                                       .normalize = args.normalize,
                                       .max_layer_ratio = args.max_layer_ratio,
                                       .round_to = args.round_to,
                                       .whole_blocks = args.whole_blocks,
                                       .dense = args.dense};
  for (const std::string& spec : args.ratio_for) requested.ratio_for.push_back(parse_ratio_for(spec));
  if (!args.by_sensitivity.empty()) allocate_by_sensitivity(args, requested, report);
  // Validates the request before any fine-tuning time is spent.
  const compress::ChannelGroups groups = compress::find_channel_groups(original);
  compress::select_channels(groups, compress::weight_norm_scores(original, groups, 1), requested);

  compress::IterativePruning iterative;
  iterative.options.criterion = compress::parse_criterion(args.criterion);
  iterative.options.seed = args.seed;
  iterative.options.selection = requested;
  iterative.steps = args.steps;
  iterative.allow_short = args.allow_short;
  std::unique_ptr<Backend> backend;
  if (iterative.options.criterion == compress::Criterion::activation) {
    if (args.data.empty()) usage_fail("--criterion activation needs --data DIR (and --samples N)");
    // Read once, before any engine is timed: pruning keeps the model's input, so every step's
    // model reads the same inputs.
    std::vector<TensorMap> batches = pipeline::sample_batches(original, args.data, args.samples, kActivationBatch);
    honoured_samples(*args.samples_option, args.samples, samples_in(batches), "training inputs");
    backend = make_backend(resolve_backend(args.backend, original, kActivationBatch, args.threads).name);
    iterative.options.backend = backend.get();
    iterative.samples = [batches = std::move(batches)](const Graph&) { return batches; };
  }
  if (args.finetune_epochs > 0) iterative.after_step = [&](const Graph& m) { return fine_tuned(m, args); };
  iterative.report = [](const std::string& line) { fmt::print("{}\n", line); };
  const compress::IterativePruneResult pruned =
      stages.empty() ? compress::prune_iteratively(original, iterative)
                     : compress::prune_in_stages(original, {.base = iterative, .stages = stages});
  // The whole prune against the original, per layer and overall (the paper's "19 (20)").
  const compress::Selection& overall = pruned.overall;
  fmt::print("\n");
  report["layers"] = layer_report(overall);
  report["real_ratio"] = overall.real;
  report["requested_ratio"] = overall.requested;
  fmt::print("pruned {} % of the filters ({} % requested)\n", percent(overall.real), percent(overall.requested));
  save_onnx(pruned.model, args.output);
}

void prune(const PruneArgs& args) {
  const JsonOutput json_output(args.json);
  const Graph original = load_model(args.model);
  if (args.show_groups) {
    fmt::print("{}", compress::describe_groups(compress::find_channel_groups(original)));
    return;
  }
  check_output(args, json_output);
  if (args.steps < 1) usage_fail("--steps must be at least 1");
  if (args.finetune_epochs > 0 && args.data.empty()) usage_fail("--finetune-epochs needs --data DIR");
  nlohmann::json report;
  report["model"] = model_reference(args.model, original);
  report["criterion"] = args.criterion;
  if (args.criterion == "magnitude" && !args.stages.empty())
    usage_fail("--stage prunes whole filters: it does not go with --criterion magnitude");
  if (args.criterion == "magnitude") {
    const compress::MagnitudeResult r = compress::prune_magnitude(original, args.sparsity);
    fmt::print("magnitude pruning: {} of {} weights are zero ({} %); shapes unchanged\n", with_thousands(r.zeroed),
               with_thousands(r.weights), percent(double(r.zeroed) / double(r.weights)));
    Graph model = r.graph;
    model.metadata["stride.pruning.magnitude_sparsity"] = fmt::format("{:.6g}", double(r.zeroed) / double(r.weights));
    if (args.finetune_epochs > 0)
      fmt::print("note: fine-tuning would bring the zeroed weights back, so it is skipped for magnitude pruning\n");
    save_onnx(model, args.output);
    report["sparsity"] = double(r.zeroed) / double(r.weights);
  } else {
    prune_structured(args, original, report);
  }
  const Graph pruned = load_model(args.output);
  report["output"] = model_reference(args.output, pruned);
  report["cost"] = cost_report(original, pruned, args.model, args.output);
  const nlohmann::json& theoretical = report["cost"]["theoretical_speedup"];
  if (args.bench)
    report["bench"] =
        print_engine_speedups(original, pruned, "pruned", args.bench_batches, args.threads,
                              theoretical.is_null() ? std::nullopt : std::optional(theoretical.get<double>()));
  fmt::print("wrote {}\n", args.output);
  json_output.write(result_document("prune", args.threads, report));
}

}  // namespace

void add_prune_command(CLI::App& app) {
  auto a = std::make_shared<PruneArgs>();
  CLI::App* cmd = app.add_subcommand(
      "prune", "Remove whole filters (L1/L2/activation/random criterion, global percentile) or single weights");
  cmd->add_option("model", a->model, "ONNX model to prune")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", a->output, "Pruned ONNX model to write");
  cmd->add_option("--criterion", a->criterion,
                  "l1 (the paper's), l2, activation (needs --data), random (a control), or magnitude "
                  "(unstructured: zeroes single weights, --sparsity)")
      ->capture_default_str();
  CLI::Option* ratio =
      cmd->add_option("--ratio", a->ratio, "Fraction of all filters to remove, in [0, 1)")->capture_default_str();
  CLI::Option* ratio_for =
      cmd->add_option("--ratio-for", a->ratio_for,
                      "PATTERN=RATIO: layers whose name matches the glob get their own ratio (repeatable)");
  cmd->add_option("--by-sensitivity", a->by_sensitivity,
                  "S.json from stride sensitivity --json: each group the ratio at which it loses the least "
                  "accuracy alone while all of them remove --ratio of the table's filters")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--normalize", a->normalize, "Divide each layer's scores by their mean before the global threshold");
  cmd->add_option("--max-layer-ratio", a->max_layer_ratio,
                  "No layer loses more than this share of its filters; the threshold moves on to other layers, so "
                  "the ratio is met (1: the paper's rule, one filter kept)")
      ->capture_default_str()
      ->check(positive() & in_range(0, 1));
  cmd->add_option("--round-to", a->round_to, "Keep channel counts a multiple of N (8: AVX2, 16: AVX-512)")
      ->capture_default_str();
  cmd->add_flag("--whole-blocks", a->whole_blocks,
                "With --round-to N: the threshold ranks blocks of N filters, so that the ratio is met in whole blocks "
                "(rounding up the kept filters falls short of it)");
  cmd->add_flag("--dense", a->dense, "Prune the neurons of dense layers too (the paper prunes convolutions only)");
  cmd->add_option("--sparsity", a->sparsity, "Magnitude criterion: fraction of weights to zero")->capture_default_str();
  CLI::Option* steps =
      cmd->add_option("--steps", a->steps, "Iterative pruning: reach the ratio in K steps, fine-tuning after each")
          ->capture_default_str();
  cmd->add_option("--stage", a->stages,
                  "PATTERN:STEPSxKEEP: prune only the layers whose name matches the glob, in STEPS steps that each "
                  "keep KEEP of their remaining filters, fine-tuning after each (repeatable: the stages run in order; "
                  "Balemans et al.'s (2024) 'backbone3d/*:12x0.9')")
      ->type_name("PATTERN:STEPSxKEEP")
      ->excludes(ratio)
      ->excludes(ratio_for)
      ->excludes(steps);
  cmd->add_flag("--allow-short", a->allow_short,
                "Write the model even when fewer filters could be removed than --ratio asks (a warning line); "
                "without it, --max-layer-ratio, --whole-blocks and a prune that removes nothing fail with both "
                "ratios");
  cmd->add_option("--finetune-epochs", a->finetune_epochs, "Epochs of fine-tuning after each step (the paper: 30)")
      ->capture_default_str();
  cmd->add_option("--finetune-lr", a->finetune_lr,
                  "Fine-tuning learning rate (default: as stride train, 0.002 with SGD, 1e-4 with Adam)")
      ->check(positive());
  add_data_option(cmd, a->data, "fine-tuning and the activation criterion read it");
  cmd->add_option("--train-on", a->train_on, "Fine-tuning recordings: train-subjects or test-gallery (as stride train)")
      ->capture_default_str();
  a->samples_option = add_samples_option(cmd, a->samples, "activation criterion: the inputs averaged over");
  add_backend_option(cmd, a->backend, "activation criterion: the one computing the activations");
  add_seed_option(cmd, a->seed, "of the random criterion and of fine-tuning");
  add_threads_option(cmd, a->threads);
  cmd->add_flag("--show-groups", a->show_groups, "List the channel groups that must be pruned together, and stop");
  cmd->add_flag("--bench", a->bench,
                "Time the pruned model against the original on onednn, in turn, at each of --batch");
  add_batches_option(cmd, a->bench_batches, "with --bench: comma-separated, each timed in turn", "--bench-batches");
  add_json_option(cmd, a->json);
  cmd->footer(
      "Example:\n"
      "  stride prune gaitset.onnx --show-groups\n"
      "  stride prune cnn2d-trained.onnx --ratio 0.3 --finetune-epochs 5 --data data/tum-gaid-mini "
      "--train-on test-gallery -o cnn2d-p30.onnx\n"
      "  stride prune gaitset.onnx --criterion activation --data data/casia-b-mini --ratio 0.3 "
      "--ratio-for 'gl_*=0.2' -o g.onnx\n"
      "  stride prune yowo-lite.onnx --criterion activation --data data/casia-b-mini --stage 'backbone2d/*:2x0.8' "
      "--stage 'backbone3d/*:4x0.8' --finetune-epochs 1 -o yowo-staged.onnx\n"
      "  stride prune gaitset.onnx --normalize --ratio 0.3 --round-to 16 --whole-blocks --bench -o g16.onnx\n"
      "  stride sensitivity gaitset.onnx --data data/casia-b-mini --json s.json   # validation subjects\n"
      "  stride prune gaitset.onnx --ratio 0.3 --by-sensitivity s.json -o g-s30.onnx");
  cmd->callback([a] { prune(*a); });
}

}  // namespace stride::cli
