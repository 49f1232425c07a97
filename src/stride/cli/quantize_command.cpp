// `stride quantize`: FP16/BF16 weight storage, static INT8 as QDQ ONNX calibrated on real inputs
// (min–max, percentile, entropy, MSE, or all measured: auto) — full-int: with integer inputs and
// outputs too — or dynamic-range INT8 (s8 weights, activations quantized at run time), with accuracy
// before and after on the dataset's test subjects and, with --max-drop, layers returned to f32
// until within bound.
// `--precision auto` makes every precision and keeps the fastest on this machine within the bound;
// `--bench` times the result against the FP32 model on the engine. The work is the quant library's
// (quant/quantize_workflow.h); this file reads the dataset, measures accuracy and time, and prints.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/calibration_inputs.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/engine_speedup.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/units.h"
#include "stride/measure/result_header.h"
#include "stride/onnx/onnx_export.h"
#include "stride/pipeline/activity_evaluation.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/pipeline/sensor_windows.h"
#include "stride/quant/calibration_checks.h"
#include "stride/quant/quantize_workflow.h"
#include "stride/report/accuracy_text.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

struct QuantizeArgs {
  std::string model;
  std::string output;
  std::string precision;
  std::string data;
  int64_t samples = 64;
  const CLI::Option* samples_option = nullptr;  // given or not: a request or a default (honoured_samples)
  std::string method = "entropy";
  bool per_channel = true;
  bool bias_correction = false;
  double percentile = 99.999;
  std::string backend;
  std::string float_backend;
  std::string classifier;
  std::optional<double> max_drop;
  bool bench = false;
  std::vector<int64_t> bench_batches;
  int threads = 0;
  std::string json;
};

// Accuracy on the dataset's test subjects (the calibration inputs come from the training subjects),
// whose recordings — or, for an activity model, test windows — are loaded once for every model evaluated.
class Accuracy {
 public:
  Accuracy(const QuantizeArgs& args, const Graph& model) {
    if (args.classifier == "softmax") options_.classifier = pipeline::Classifier::softmax;
    options_.threads = args.threads;
    const pipeline::ModelInput input = pipeline::model_input_of(model);
    if (input.kind == pipeline::InputKind::imu) {
      windows_ = pipeline::load_sensor_windows(args.data, "test", input);
      return;
    }
    ProgressBar bar("loading test recordings");
    test_ =
        pipeline::load_test_recordings(model, args.data, args.threads, [&](size_t d, size_t t) { bar.update(d, t); });
  }
  // Prints one line per model, as evaluations on `ref` take minutes. `backend` may be auto: the
  // engine is then measured on this very model (a quantized one runs other kernels than its float).
  double of(const Graph& model, const std::string& backend, const std::string& label) {
    options_.backend = resolve_backend(backend, model, options_.batch, options_.threads).name;
    double accuracy = 0, seconds = 0;
    size_t judged = 0;
    if (windows_) {
      const pipeline::ActivityEvaluation e = pipeline::evaluate_activity_model(
          model, *windows_, {options_.backend, options_.batch, options_.threads, {}});
      accuracy = e.accuracy();
      probes_ = static_cast<int64_t>(e.windows);
      judged = e.windows;
      seconds = e.model_seconds;
    } else {
      const pipeline::Evaluation e = pipeline::evaluate_model(model, test_, options_);
      accuracy = e.mean_rank1();
      probes_ = e.probes();
      judged = e.test_recordings;
      seconds = e.feature_seconds + e.classifier_seconds;
    }
    const std::string recordings = windows_ ? "" : fmt::format("{} test recordings, ", judged);
    fmt::print("accuracy of {} on {}: {} ({}{:.1f} s)\n", label, options_.backend,
               mean_accuracy_text(accuracy, probes_, windows_ ? "test windows" : "probes"), recordings, seconds);
    std::fflush(stdout);
    return accuracy;
  }
  // The probes of every evaluation: the same test recordings (or windows) each time.
  int64_t probes() const { return probes_; }
  // What the accuracy judged, and by what: an activity model's windows by its softmax head.
  std::string unit() const { return windows_ ? "windows" : "probes"; }
  std::string classifier(const std::string& asked) const { return windows_ ? "softmax" : asked; }

 private:
  pipeline::EvaluationOptions options_;
  pipeline::TestRecordings test_;
  std::optional<pipeline::SensorWindows> windows_;  // an activity model's test windows
  int64_t probes_ = 0;
};

std::string points(std::optional<double> a) { return a ? fmt::format("{:.2f}", *a) : "-"; }

// The library's progress (quant::QuantizeHooks) as a bar per stage.
class StageProgress {
 public:
  void operator()(std::string_view stage, size_t done, size_t total) {
    if (!bar_ || stage != stage_) {
      stage_ = stage;
      bar_.emplace(stage_);
    }
    bar_->update(done, total);
  }

 private:
  std::string stage_;
  std::optional<ProgressBar> bar_;
};

void quantize(const QuantizeArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"dataset", args.data}}, {{"-o", args.output}, json_output.output_path()});
  const Graph model = load_model(args.model);
  quant::QuantizeOptions options{.precision = args.precision,
                                 .calibrations = quant::calibrations_to_try(args.method, args.percentile),
                                 .per_channel = args.per_channel,
                                 .bias_correction = args.bias_correction,
                                 .max_drop = args.max_drop,
                                 .float_backend = args.float_backend};
  // Accuracy needs a dataset (a folder of .npy inputs has no labels).
  const bool dataset = !args.data.empty() && !fs::is_empty(args.data) &&
                       std::none_of(fs::directory_iterator(args.data), fs::directory_iterator(),
                                    [](const fs::directory_entry& e) { return e.path().extension() == ".npy"; });
  quant::check_quantize_request(model, options, dataset, !args.data.empty());
  const bool calibrates = args.precision == "int8" || args.precision == "full-int" || args.precision == "auto";
  std::optional<quant::CalibrationBatches> calibration;
  if (calibrates) {
    CalibrationInputs inputs = read_calibration_inputs(model, args.data, args.samples);
    // Refused before any engine is measured: no input at all (the library's own refusal), or fewer
    // than --samples asked for.
    if (inputs.samples == 0) quant::check_calibration_batches(model, inputs.batches, args.samples);
    const int64_t used = honoured_samples(*args.samples_option, args.samples, inputs.samples, "calibration inputs");
    calibration = quant::CalibrationBatches{std::move(inputs.batches), inputs.samples, std::min(args.samples, used)};
  }
  std::optional<Accuracy> accuracy;
  if (dataset) accuracy.emplace(args, model);
  // Resolved once the data stands (a dataset that does not fit is refused before any engine is
  // timed), and only when the float model runs: calibration, accuracy.
  if (dataset || calibrates)
    options.float_backend = resolve_backend(args.float_backend, model, kCalibrationBatch, args.threads).name;

  nlohmann::json report;
  report["model"] = model_reference(args.model, model);
  report["backend"] = args.backend;
  std::optional<double> before;
  if (accuracy) {
    before = accuracy->of(model, options.float_backend, "fp32");
    report["accuracy_before"] = *before;
    report["probes"] = accuracy->probes();
    report["data"] = args.data;
  }
  const int64_t batch = args.bench_batches.front();
  StageProgress progress;
  quant::QuantizeHooks hooks{
      .accuracy = {},
      .median_ms =
          [&](const std::vector<const Graph*>& models) { return median_ms_on_engine(models, batch, args.threads); },
      .timing_label = fmt::format("b{} ms (onednn)", batch),
      .report =
          [](const std::string& text) {
            fmt::print("{}", text);
            std::fflush(stdout);
          },
      .progress = std::ref(progress)};
  if (accuracy) {
    hooks.accuracy = [&](const Graph& m, const std::string& label) { return accuracy->of(m, args.backend, label); };
    hooks.probes = accuracy->probes();
  }

  quant::QuantizeResult result =
      quant::quantize_model(model, options, calibration ? &*calibration : nullptr, before, hooks);
  report.update(result.report);
  if (args.precision == "auto") report["bench_batch"] = batch;
  const std::string& written = result.precision;
  save_onnx(result.model, args.output);
  report["output"] = model_reference(args.output, result.model);

  const auto size_before = static_cast<int64_t>(fs::file_size(args.model));
  const auto size_after = static_cast<int64_t>(fs::file_size(args.output));
  TextTable table({{"", TextTable::Align::left}, {"fp32"}, {written}});
  table.add_row({"file MiB", fmt::format("{:.2f}", units::mib(double(size_before))),
                 fmt::format("{:.2f}", units::mib(double(size_after)))});
  if (before) {
    const double after = report["accuracy_after"].get<double>();
    table.add_row({fmt::format("accuracy (%, {})", accuracy->classifier(args.classifier)), points(before), points(after)});
    table.add_row({fmt::format("95 % CI ({} {})", accuracy->probes(), accuracy->unit()), interval_cell(*before, accuracy->probes()),
                   interval_cell(after, accuracy->probes())});
  }
  fmt::print("{}compression: {:.2f}x\n", table.render(), double(size_before) / double(size_after));
  report["file_bytes"] = {size_before, size_after};
  report["compression_ratio"] = double(size_before) / double(size_after);
  if (args.bench && written != "fp32")
    report["bench"] = print_engine_speedups(model, result.model, written, args.bench_batches, args.threads);
  fmt::print("wrote {}\n", args.output);
  json_output.write(result_document("quantize", args.threads, report));
}

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto a = std::make_shared<QuantizeArgs>();
  CLI::App* cmd =
      app.add_subcommand("quantize",
                         "FP16/BF16 weights, static INT8 (QDQ ONNX) calibrated on real inputs, full-integer or "
                         "dynamic-range INT8");
  cmd->add_option("model", a->model, "ONNX model to quantize")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", a->output, "Quantized ONNX model to write")->required();
  cmd->add_option(
         "--precision", a->precision,
         "fp16, bf16, int8 (static, calibrated), full-int (int8 with integer inputs and outputs too), "
         "dynamic (s8 weights, activations quantized at run time; no calibration), or auto (makes each but "
         "full-int, keeps the fastest on this machine within --max-drop points of fp32; default bound 1 point)")
      ->required();
  add_data_option(cmd, a->data,
                  "its training subjects calibrate, its test subjects measure accuracy; or a folder of .npy model "
                  "inputs, which calibrate only",
                  "--calib");
  a->samples_option = add_samples_option(cmd, a->samples, "those calibrated on");
  cmd->add_option(
         "--method", a->method,
         "minmax, percentile, entropy, mse, or auto (tries each, percentile at 99.9, 99.99 and 99.999, and keeps "
         "the most accurate). Model inputs keep the range they were seen over with every method: a histogram "
         "search clips inputs with point masses (a silhouette's 0s and 1s)")
      ->capture_default_str();
  cmd->add_flag("--per-channel,!--per-tensor", a->per_channel,
                "Weights: one scale per output channel (default) or one per tensor");
  cmd->add_flag("--bias-correction", a->bias_correction,
                "INT8: move each Conv and Gemm bias by the mean shift quantization gives its output channels on the "
                "calibration inputs, layer by layer");
  cmd->add_option("--percentile", a->percentile, "Percentile method: the share of |x| kept, in (0, 100]")
      ->capture_default_str()
      ->check(positive() & in_range(0, 100));
  add_backend_option(cmd, a->backend, "the one that runs each quantized model for its accuracy");
  // The float model's engine: its own option, for the quantized and the float models run different kernels.
  cmd->add_option("--float-backend", a->float_backend,
                  "Engine of the float model (calibration, accuracy before): auto or one by name, as --backend")
      ->default_str("auto")
      ->check(backend_name());
  a->float_backend = "auto";
  add_classifier_option(cmd, a->classifier);
  cmd->add_option("--max-drop", a->max_drop,
                  "INT8: return the most harmful layers to f32 until the accuracy drop is at most this many points; "
                  "auto: the drop a precision may cost to be chosen")
      ->check(non_negative());
  cmd->add_flag("--bench", a->bench,
                "Time the written model against the fp32 one on onednn, in turn, at each of --batch");
  add_batches_option(cmd, a->bench_batches,
                     "with --bench, each timed in turn; the first is the one --precision auto compares at",
                     "--bench-batches");
  add_threads_option(cmd, a->threads);
  add_json_option(cmd, a->json);
  cmd->footer(
      "Example:\n"
      "  stride quantize cnn2d-trained.onnx --precision int8 --data data/tum-gaid-mini --method auto "
      "--samples 64 -o cnn2d-int8.onnx\n"
      "  stride quantize gaitset.onnx --precision fp16 -o gaitset-fp16.onnx\n"
      "  stride quantize cnn2d-trained.onnx --precision dynamic --data data/tum-gaid-mini -o cnn2d-dynamic.onnx\n"
      "  stride quantize cnn2d-trained.onnx --precision full-int --data data/tum-gaid-mini -o cnn2d-full-int.onnx\n"
      "  stride quantize gaitset.onnx --precision auto --data data/casia-b-mini --backend onednn --max-drop 1 "
      "-o gaitset-fast.onnx");
  cmd->callback([a] { quantize(*a); });
}

}  // namespace stride::cli
