// `stride sensitivity`: accuracy against the ratio of each layer group pruned alone (as Balemans et al. 2024 do), as
// a table, JSON and an SVG plot — to choose a pruning schedule before spending fine-tuning time.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/compress/sensitivity.h"
#include "stride/core/atomic_file.h"
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
  std::string classifier;
  std::string backend;
  bool dense = false;
  int64_t samples = 32;
  const CLI::Option* samples_option = nullptr;  // given or not: a request or a default (honoured_samples)
  std::string split;
  int threads = 0;
  std::string json;
  std::string svg;
};

void analyse(const SensitivityArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"dataset", args.data}}, {json_output.output_path(), {"--svg", args.svg}});
  const Graph model = load_model(args.model);
  pipeline::EvaluationOptions options;
  options.threads = args.threads;
  options.split = pipeline::parse_split(args.split);
  if (args.classifier == "softmax") options.classifier = pipeline::Classifier::softmax;
  // A softmax head names only the subjects it was trained on (the test subjects' galleries), so the
  // validation subjects are for KNN; `auto` keeps the test split there.
  if (options.split == pipeline::Split::automatic && options.classifier == pipeline::Classifier::softmax)
    options.split = pipeline::Split::test;
  const compress::ChannelGroups groups = compress::find_channel_groups(model);
  const compress::Criterion criterion = compress::parse_criterion(args.criterion);
  std::vector<TensorMap> samples;
  if (criterion == compress::Criterion::activation) {
    samples = pipeline::sample_batches(model, args.data, args.samples, kActivationBatch);
    honoured_samples(*args.samples_option, args.samples, samples_in(samples), "training inputs");
  }
  // Loaded once: every pruned model reads the same recordings.
  ProgressBar loading("loading recordings");
  const pipeline::TestRecordings recordings = pipeline::load_test_recordings(
      model, args.data, args.threads, [&](size_t d, size_t t) { loading.update(d, t); }, options.split);

  // Once the data stands: a dataset that does not fit the model is refused before any engine is timed.
  options.backend = resolve_backend(args.backend, model, options.batch, options.threads).name;
  std::unique_ptr<Backend> backend;
  if (criterion == compress::Criterion::activation) backend = make_backend(options.backend);
  const compress::ChannelScores scores = compress::score_channels(model, groups, criterion, 1, backend.get(), samples);
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
  json_output.write(result_document("sensitivity", options.threads, j));
  if (!args.svg.empty()) write_file_atomically(args.svg, render_svg(plot));
}

}  // namespace

void add_sensitivity_command(CLI::App& app) {
  auto a = std::make_shared<SensitivityArgs>();
  CLI::App* cmd =
      app.add_subcommand("sensitivity", "Accuracy against the ratio of each layer group pruned alone (no fine-tuning)");
  cmd->add_option("model", a->model, "Trained ONNX model")->required()->check(CLI::ExistingFile);
  add_data_option(cmd, a->data, "rank-1 is measured on it (its protocol)")->required();
  add_split_option(cmd, a->split);
  cmd->add_option("--criterion", a->criterion, "Which filters go first: l1, l2, activation, random")
      ->capture_default_str();
  cmd->add_option("--ratios", a->ratios, "Fractions of each layer's filters to remove")
      ->capture_default_str()
      ->delimiter(',');
  add_classifier_option(cmd, a->classifier);
  add_backend_option(cmd, a->backend, "the one that runs the evaluations");
  add_threads_option(cmd, a->threads);
  cmd->add_flag("--dense", a->dense, "Analyse dense layers too");
  a->samples_option = add_samples_option(cmd, a->samples, "activation criterion: the inputs averaged over");
  add_json_option(cmd, a->json);
  cmd->add_option("--svg", a->svg, "Write the plot as SVG");
  cmd->footer(
      "Example:\n"
      "  stride sensitivity gaitset-trained.onnx --data data/casia-b-mini --ratios 0.2,0.5,0.8 "
      "--svg sensitivity.svg --json sensitivity.json");
  cmd->callback([a] { analyse(*a); });
}

}  // namespace stride::cli
