// `stride sensitivity`: accuracy against the ratio of each layer group pruned alone (as Balemans et al. 2024 do), as
// a table, JSON and an SVG plot — to choose a pruning schedule before spending fine-tuning time.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/compress/sensitivity.h"
#include "stride/core/atomic_file.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/measure/result_header.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/pipeline/sample_batches.h"
#include "stride/report/accuracy_text.h"
#include "stride/report/svg_plot.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

struct SensitivityArgs {
  std::string model;
  std::string data;
  std::string criterion = "l1";
  std::vector<double> ratios = {0.1, 0.3, 0.5, 0.7, 0.9};
  std::string classifier = "knn";
  std::string backend = "onednn";
  bool dense = false;
  int64_t samples = 32;
  std::string split = "auto";
  std::string json;
  std::string svg;
};

void analyse(const SensitivityArgs& args) {
  check_output_paths({{"model", args.model}, {"dataset", args.data}}, {{"--json", args.json}, {"--svg", args.svg}});
  const Graph model = load_model(args.model);
  pipeline::EvaluationOptions options;
  options.backend = args.backend;
  options.split = pipeline::parse_split(args.split);
  if (args.classifier == "softmax")
    options.classifier = pipeline::Classifier::softmax;
  else if (args.classifier != "knn")
    usage_fail("--classifier {}: expected knn or softmax", args.classifier);
  // A softmax head names only the subjects it was trained on (the test subjects' galleries), so the
  // validation subjects are for KNN; `auto` keeps the test split there.
  if (options.split == pipeline::Split::automatic && options.classifier == pipeline::Classifier::softmax)
    options.split = pipeline::Split::test;
  const compress::ChannelGroups groups = compress::find_channel_groups(model);
  const compress::Criterion criterion = compress::parse_criterion(args.criterion);
  std::unique_ptr<Backend> backend;
  std::vector<TensorMap> samples;
  if (criterion == compress::Criterion::activation) {
    backend = make_backend(args.backend);
    samples = pipeline::sample_batches(model, args.data, args.samples, 8);
  }
  const compress::ChannelScores scores = compress::score_channels(model, groups, criterion, 1, backend.get(), samples);

  // Loaded once: every pruned model reads the same recordings.
  ProgressBar loading("loading recordings");
  const pipeline::TestRecordings recordings = pipeline::load_test_recordings(
      model, args.data, 0, [&](size_t d, size_t t) { loading.update(d, t); }, options.split);
  fmt::print("rank-1 on the {} subjects ({} recordings)\n", pipeline::split_name(recordings.split),
             recordings.rows.size());
  ProgressBar bar("sensitivity");
  int64_t probes = 0;  // the same recordings every time, so the same count
  const compress::Sensitivity result = compress::analyse_sensitivity(
      model, scores, args.ratios, args.dense,
      [&](const Graph& g) {
        const pipeline::Evaluation e = pipeline::evaluate_model(g, recordings, options);
        probes = e.probes();
        return e.mean_rank1();
      },
      [&](size_t done, size_t total) { bar.update(done, total); });

  std::vector<TextTable::Column> columns = {{"layers", TextTable::Align::left}, {"channels"}};
  for (double r : args.ratios) columns.push_back({fmt::format("{:.0f} %", 100 * r)});
  TextTable table(columns);
  nlohmann::json j;
  j["model"] = model_reference(args.model, model);
  j["dataset"] = args.data;
  j["criterion"] = args.criterion;
  j["classifier"] = args.classifier;
  j["split"] = pipeline::split_name(recordings.split);
  j["baseline_rank1"] = result.baseline;
  j["probes"] = probes;
  LinePlot plot{fmt::format("Sensitivity of {} ({} criterion, no fine-tuning)", model.name, args.criterion),
                "fraction of the layer's filters removed",
                "mean rank-1 (%)",
                {}};
  for (const compress::SensitivityCurve& c : result.curves) {
    std::vector<std::string> row = {c.layers, std::to_string(c.channels)};
    for (double a : c.accuracy) row.push_back(fmt::format("{:.2f}", a));
    table.add_row(row);
    j["curves"].push_back({{"layers", c.layers},
                           {"channels", c.channels},
                           {"ratios", c.ratios},
                           {"kept", c.kept},
                           {"rank1", c.accuracy}});
    PlotSeries series{c.layers, {0.0}, {result.baseline}};
    series.x.insert(series.x.end(), c.ratios.begin(), c.ratios.end());
    series.y.insert(series.y.end(), c.accuracy.begin(), c.accuracy.end());
    plot.series.push_back(std::move(series));
  }
  fmt::print("unpruned: mean rank-1 {}\n{}", mean_accuracy_text(result.baseline, probes), table.render());
  // One interval for the whole table: the widest, at 50 %, bounds how much any difference in it means.
  fmt::print("every figure is over the same {} probes (at 50 % the 95 % CI is {})\n", probes,
             interval_cell(50.0, probes));
  j["elapsed_ms"] = 1000 * bar.elapsed();
  if (!args.json.empty())
    write_file_atomically(args.json, result_document("sensitivity", options.threads, j).dump(2) + "\n");
  if (!args.svg.empty()) write_file_atomically(args.svg, render_svg(plot));
}

}  // namespace

void add_sensitivity_command(CLI::App& app) {
  auto a = std::make_shared<SensitivityArgs>();
  CLI::App* cmd =
      app.add_subcommand("sensitivity", "Accuracy against the ratio of each layer group pruned alone (no fine-tuning)");
  cmd->add_option("model", a->model, "Trained ONNX model")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data", a->data, "Dataset folder to measure rank-1 on (its protocol)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--split", a->split,
                  "Subjects measured: validation (a schedule chosen without the test set; TUM-GAID, KNN), test, or "
                  "auto (validation where the dataset has it and the classifier is KNN, else test)")
      ->capture_default_str();
  cmd->add_option("--criterion", a->criterion, "Which filters go first: l1, l2, activation, random")
      ->capture_default_str();
  cmd->add_option("--ratios", a->ratios, "Fractions of each layer's filters to remove")
      ->capture_default_str()
      ->delimiter(',');
  cmd->add_option("--classifier", a->classifier, "knn or softmax (as stride eval)")->capture_default_str();
  cmd->add_option("--backend", a->backend, "Backend that runs the evaluations")->capture_default_str();
  cmd->add_flag("--dense", a->dense, "Analyse dense layers too");
  cmd->add_option("--samples", a->samples, "Activation criterion: inputs to average over")->capture_default_str();
  cmd->add_option("--json", a->json, "Write the curves as JSON");
  cmd->add_option("--svg", a->svg, "Write the plot as SVG");
  cmd->footer(
      "Example:\n"
      "  stride sensitivity gaitset-trained.onnx --data data/casia-b-mini --ratios 0.2,0.5,0.8 "
      "--svg sensitivity.svg --json sensitivity.json");
  cmd->callback([a] { analyse(*a); });
}

}  // namespace stride::cli
