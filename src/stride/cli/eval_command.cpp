// `stride eval`: identification accuracy of a model under its dataset's test protocol, printed as
// the literature's table with the feature and classifier times apart.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/open_set_eval.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/error.h"
#include "stride/core/units.h"
#include "stride/core/usage_error.h"
#include "stride/data/layout.h"
#include "stride/eval/accuracy_report.h"
#include "stride/measure/energy_figures.h"
#include "stride/measure/energy_spec.h"
#include "stride/measure/machine_info.h"
#include "stride/measure/result_header.h"
#include "stride/pipeline/activity_evaluation.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/report/accuracy_text.h"

namespace stride::cli {
namespace {

struct EvalArgs {
  std::string model;
  std::string data;
  std::string classifier;
  std::string metric = "l2";
  std::string json;
  std::string energy;
  std::string split;
  std::string backend;
  bool classifier_given = false;  // activity models have only their softmax head
  bool open_set = false;
  pipeline::EvaluationOptions options;
};

// An activity model: accuracy and confusion matrix over the test split's windows (UCI HAR layout).
void evaluate_activities(const EvalArgs& args, const Graph& model, const JsonOutput& json_output, EnergyMeter& meter) {
  if (args.classifier_given && args.classifier == "knn")
    usage_fail("--classifier knn: activity models are judged by their softmax head (--classifier softmax)");
  if (pipeline::parse_split(args.split) == pipeline::Split::validation)
    usage_fail("--split validation: a UCI HAR-layout dataset has train and test subjects only");
  const pipeline::SensorWindows test =
      pipeline::load_sensor_windows(args.data, "test", pipeline::model_input_of(model));
  pipeline::ActivityOptions options{resolve_backend(args.backend, model, args.options.batch, args.options.threads).name,
                                    args.options.batch, args.options.threads,
                                    {[&] { meter.begin(); }, [&] { meter.end(0); }}};
  meter.start_sampler();
  const pipeline::ActivityEvaluation e = pipeline::evaluate_activity_model(model, test, options);
  meter.stop_sampler();
  const double ms_per_window = 1000 * e.model_seconds / static_cast<double>(e.windows);
  fmt::print("{}: {} test windows of {} (UCI HAR layout), {} backend, batch {}, softmax head\n\n", model.name,
             e.windows, args.data, options.backend, options.batch);
  int64_t correct = 0;
  for (size_t a = 0; a < e.confusion.size(); ++a) correct += e.confusion[a][a];
  fmt::print("{}\naccuracy: {}\n", pipeline::confusion_text(e),
             accuracy_text(correct, static_cast<int64_t>(e.windows), "windows"));
  fmt::print("model: {:.3f} s ({:.3f} ms per window)\n", e.model_seconds, ms_per_window);
  const EnergyFigures energy = energy_figures_per_item(meter.result(0), e.windows, ms_per_window);
  if (!json_output.requested()) return;
  nlohmann::json j;
  j["model"] = model_reference(args.model, model);
  j["dataset"] = args.data;
  j["layout"] = "UCI HAR";
  j["split"] = "test";
  j["backend"] = options.backend;
  j["batch"] = options.batch;
  j["windows"] = e.windows;
  j["model_ms"] = 1000 * e.model_seconds;
  j["model_ms_per_window"] = ms_per_window;
  put_energy(j, "energy_per_window", energy);
  j["accuracy"] = e.accuracy();
  j["activities"] = e.activities;
  j["confusion"] = e.confusion;
  json_output.write(result_document("eval-activity", args.options.threads, j));
}

void evaluate(EvalArgs args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"dataset", args.data}}, {json_output.output_path()});
  args.options.classifier = args.classifier == "softmax" ? pipeline::Classifier::softmax : pipeline::Classifier::knn;
  args.options.knn.metric = eval::metric_from_name(args.metric);
  args.options.split = pipeline::parse_split(args.split);

  const std::unique_ptr<EnergyMeter> meter = make_energy_meter(args.energy);  // a wrong spec fails before any work

  const Graph model = load_model(args.model);
  if (pipeline::model_input_of(model).kind == pipeline::InputKind::imu)
    return evaluate_activities(args, model, json_output, *meter);
  ProgressBar loading("loading test recordings");
  const pipeline::TestRecordings recordings = pipeline::load_test_recordings(
      model, args.data, args.options.threads, [&](size_t d, size_t t) { loading.update(d, t); }, args.options.split);
  // Once the data stands: a dataset that does not fit the model is refused before any engine is timed.
  args.options.backend = resolve_backend(args.backend, model, args.options.batch, args.options.threads).name;
  // Energy over the feature extraction's plan runs only: the time feature_ms counts.
  args.options.feature_runs = {[&] { meter->begin(); }, [&] { meter->end(0); }};
  meter->start_sampler();
  const pipeline::Evaluation e = pipeline::evaluate_model(model, recordings, args.options);
  meter->stop_sampler();
  const std::string classifier = args.options.classifier == pipeline::Classifier::knn
                                     ? fmt::format("KNN (k={}, {})", args.options.knn.k, args.metric)
                                     : std::string("softmax head");
  const double feature_ms = 1000 * e.feature_seconds / e.test_recordings;
  const std::string samples = e.model_samples == e.test_recordings
                                  ? std::string()
                                  : fmt::format(" ({} flow windows, features averaged per recording)", e.model_samples);
  fmt::print("{}: {} {} recordings{} of {} ({}), {} backend, batch {}, {}\n\n", model.name, e.test_recordings,
             pipeline::split_name(e.split), samples, args.data, data::layout_name(e.layout), args.options.backend,
             args.options.batch, classifier);
  nlohmann::json result;
  std::visit(
      [&](const auto& r) {
        fmt::print("{}\n", eval::to_text(r));
        result = eval::to_json(r);
      },
      e.result);
  fmt::print("feature extraction: {:.3f} s ({:.2f} ms per recording); classifier: {:.3f} s\n", e.feature_seconds,
             feature_ms, e.classifier_seconds);
  const EnergyFigures energy = energy_figures_per_item(meter->result(0), e.test_recordings, feature_ms);
  if (energy.result.measured())
    fmt::print("feature extraction energy: {} mJ per recording, EDP {} {}, peak {} W ({})\n",
               figure_cell(energy.mj_per_inference, 3), figure_cell(energy.edp_mj_ms, 3), units::kEdp,
               figure_cell(energy.peak_watts, 2), energy.result.meter);
  else
    fmt::print("feature extraction energy: n/a, EDP n/a, peak n/a ({})\n", energy.result.reason);

  if (!json_output.requested()) return;
  nlohmann::json j;
  j["model"] = model_reference(args.model, model);
  j["dataset"] = args.data;
  j["layout"] = std::string(data::layout_name(e.layout));
  j["split"] = pipeline::split_name(e.split);
  j["backend"] = args.options.backend;
  j["classifier"] = args.classifier;
  if (args.options.classifier == pipeline::Classifier::knn)
    j["knn"] = {{"k", args.options.knn.k}, {"metric", args.metric}};
  j["batch"] = args.options.batch;
  j["test_recordings"] = e.test_recordings;
  j["model_samples"] = e.model_samples;
  j["feature_ms"] = 1000 * e.feature_seconds;
  j["feature_ms_per_recording"] = feature_ms;
  j["classifier_ms"] = 1000 * e.classifier_seconds;
  put_energy(j, "feature_energy_per_recording", energy);
  j["peak_rss_bytes"] = peak_rss_bytes();
  j["model_file_bytes"] = std::filesystem::file_size(args.model);
  j["mean_rank1"] = e.mean_rank1();
  j["result"] = result;
  json_output.write(result_document("eval", args.options.threads, j));
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Rank-1 identification accuracy under the dataset's test protocol (CASIA-B or TUM-GAID); for an activity model, "
      "accuracy and confusion matrix on the test windows (UCI HAR layout)");
  cmd->add_option("model", a->model, "ONNX model (trained with 'stride train')")->required();
  add_data_option(cmd, a->data, "the subjects of --split are evaluated")->required();
  add_split_option(cmd, a->split);
  add_classifier_option(cmd, a->classifier);
  add_backend_option(cmd, a->backend, "the one computing the features");
  cmd->add_option("--k", a->options.knn.k, "Neighbours of the KNN classifier")
      ->capture_default_str()
      ->check(positive());
  cmd->add_option("--metric", a->metric, "KNN distance: l2, l1 or cosine")->capture_default_str();
  cmd->add_option("--windows", a->options.flow_windows,
                  "Flow models: windows per recording, spread over it; its feature is their mean")
      ->capture_default_str()
      ->check(in_range(1, 1000));
  add_batch_option(cmd, a->options.batch, "the feature extraction's");
  add_threads_option(cmd, a->options.threads);
  add_json_option(cmd, a->json);
  add_energy_option(cmd, a->energy, "over the feature extraction");
  cmd->add_flag("--open-set", a->open_set,
                "Open-set identification instead: half the subjects enrolled, thresholds set on a quarter held out, "
                "DIR at FPIR 0.1/1/10 % and closed-set rank-1 (docs/gallery.md)");
  cmd->footer(
      "Example:\n"
      "  stride eval gaitset-trained.onnx --data data/casia-b-mini --classifier knn --metric l2\n"
      "  stride eval cnn2d-trained.onnx --data data/tum-gaid-mini --classifier softmax --json cnn2d-eval.json\n"
      "  stride eval har-cnn-trained.onnx --data data/har-mini --classifier softmax\n"
      "  stride eval gaitset-trained.onnx --data data/casia-b-mini --open-set --json open-set.json");
  cmd->callback([a, cmd] {
    a->classifier_given = cmd->count("--classifier") > 0;
    if (!a->open_set) return evaluate(*a);
    // Open-set search is by cosine similarity over every enrolled template: no classifier to choose.
    for (const char* option : {"--classifier", "--k", "--metric", "--windows", "--energy"})
      if (cmd->count(option)) usage_fail("{} does not apply to --open-set", option);
    evaluate_open_set({a->model, a->data, a->backend, a->json, pipeline::parse_split(a->split), a->options.batch,
                       a->options.threads});
  });
}

}  // namespace stride::cli
