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

#include "stride/cli/calibration_inputs.h"
#include "stride/cli/commands.h"
#include "stride/cli/engine_speedup.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/atomic_file.h"
#include "stride/core/units.h"
#include "stride/core/usage_error.h"
#include "stride/measure/result_header.h"
#include "stride/onnx/onnx_export.h"
#include "stride/pipeline/gait_evaluation.h"
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
  std::string calib;
  int64_t samples = 64;
  std::string method = "entropy";
  bool per_channel = true;
  bool bias_correction = false;
  double percentile = 99.999;
  std::string backend = "ref";
  std::string float_backend = "onednn";
  std::string classifier = "knn";
  std::optional<double> max_drop;
  bool bench = false;
  std::vector<int64_t> bench_batches{1, 8};
  int threads = 0;
  std::string json;
};

// Accuracy on the dataset's test subjects (the calibration inputs come from the training subjects),
// whose recordings are loaded once for every model evaluated.
class Accuracy {
 public:
  Accuracy(const QuantizeArgs& args, const Graph& model) {
    if (args.classifier == "softmax")
      options_.classifier = pipeline::Classifier::softmax;
    else if (args.classifier != "knn")
      usage_fail("--classifier {}: expected knn or softmax", args.classifier);
    ProgressBar bar("loading test recordings");
    test_ = pipeline::load_test_recordings(model, args.calib, 0, [&](size_t d, size_t t) { bar.update(d, t); });
  }
  // Prints one line per model, as evaluations on `ref` take minutes.
  double of(const Graph& model, const std::string& backend, const std::string& label) {
    options_.backend = backend;
    const pipeline::Evaluation e = pipeline::evaluate_model(model, test_, options_);
    probes_ = e.probes();
    fmt::print("accuracy of {} on {}: {} ({} test recordings, {:.1f} s)\n", label, backend,
               mean_accuracy_text(e.mean_rank1(), probes_), e.test_recordings,
               e.feature_seconds + e.classifier_seconds);
    std::fflush(stdout);
    return e.mean_rank1();
  }
  // The probes of every evaluation: the same test recordings each time.
  int64_t probes() const { return probes_; }

 private:
  pipeline::EvaluationOptions options_;
  pipeline::TestRecordings test_;
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
  check_output_paths({{"model", args.model}, {"dataset", args.calib}}, {{"-o", args.output}, {"--json", args.json}});
  const quant::QuantizeOptions options{.precision = args.precision,
                                       .calibrations = quant::calibrations_to_try(args.method, args.percentile),
                                       .per_channel = args.per_channel,
                                       .bias_correction = args.bias_correction,
                                       .max_drop = args.max_drop,
                                       .float_backend = args.float_backend};
  const Graph model = load_model(args.model);
  // Accuracy needs a dataset (a folder of .npy inputs has no labels).
  const bool dataset = !args.calib.empty() && !fs::is_empty(args.calib) &&
                       std::none_of(fs::directory_iterator(args.calib), fs::directory_iterator(),
                                    [](const fs::directory_entry& e) { return e.path().extension() == ".npy"; });
  quant::check_quantize_request(model, options, dataset, !args.calib.empty());

  nlohmann::json report;
  report["model"] = model_reference(args.model, model);
  report["backend"] = args.backend;
  std::optional<Accuracy> accuracy;
  std::optional<double> before;
  if (dataset) {
    accuracy.emplace(args, model);
    before = accuracy->of(model, args.float_backend, "fp32");
    report["accuracy_before"] = *before;
    report["probes"] = accuracy->probes();
    report["data"] = args.calib;
  }
  std::optional<quant::CalibrationBatches> calibration;
  if (args.precision == "int8" || args.precision == "full-int" || args.precision == "auto") {
    CalibrationInputs inputs = read_calibration_inputs(model, args.calib, args.samples);
    calibration = quant::CalibrationBatches{std::move(inputs.batches), inputs.samples, args.samples};
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
    table.add_row({fmt::format("accuracy (%, {})", args.classifier), points(before), points(after)});
    table.add_row({fmt::format("95 % CI ({} probes)", accuracy->probes()), interval_cell(*before, accuracy->probes()),
                   interval_cell(after, accuracy->probes())});
  }
  fmt::print("{}compression: {:.2f}x\n", table.render(), double(size_before) / double(size_after));
  report["file_bytes"] = {size_before, size_after};
  report["compression_ratio"] = double(size_before) / double(size_after);
  if (args.bench && written != "fp32")
    report["bench"] = print_engine_speedups(model, result.model, written, args.bench_batches, args.threads);
  fmt::print("wrote {}\n", args.output);
  if (!args.json.empty())
    write_file_atomically(args.json, result_document("quantize", args.threads, report).dump(2) + "\n");
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
  cmd->add_option("--calib", a->calib,
                  "Calibration inputs: a dataset folder (training subjects calibrate, test subjects measure "
                  "accuracy) or a folder of .npy model inputs")
      ->check(CLI::ExistingDirectory);
  cmd->add_option(
         "--samples", a->samples,
         "Calibration inputs to use, at most (fewer when the data holds fewer: a warning line; none: an error)")
      ->capture_default_str()
      ->check(in_range(1, 1e6));
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
  cmd->add_option("--backend", a->backend, "Backend that runs the quantized model for accuracy")->capture_default_str();
  cmd->add_option("--float-backend", a->float_backend, "Backend that runs the float model (calibration, accuracy)")
      ->capture_default_str();
  cmd->add_option("--classifier", a->classifier, "knn or softmax (as stride eval)")->capture_default_str();
  cmd->add_option("--max-drop", a->max_drop,
                  "INT8: return the most harmful layers to f32 until the accuracy drop is at most this many points; "
                  "auto: the drop a precision may cost to be chosen")
      ->check(non_negative());
  cmd->add_flag("--bench", a->bench, "Time the written model against the fp32 one on onednn, in turn, at each batch");
  cmd->add_option("--bench-batches", a->bench_batches,
                  "Batch sizes for --bench; the first is the one --precision auto compares at")
      ->capture_default_str()
      ->delimiter(',')
      ->check(in_range(1, 4096));
  cmd->add_option("--threads", a->threads, "Threads for timing (0: all cores)")
      ->capture_default_str()
      ->check(thread_count());
  cmd->add_option("--json", a->json, "Also write the report as JSON");
  cmd->footer(
      "Example:\n"
      "  stride quantize cnn2d-trained.onnx --precision int8 --calib data/tum-gaid-mini --method auto "
      "--samples 64 -o cnn2d-int8.onnx\n"
      "  stride quantize gaitset.onnx --precision fp16 -o gaitset-fp16.onnx\n"
      "  stride quantize cnn2d-trained.onnx --precision dynamic --calib data/tum-gaid-mini -o cnn2d-dynamic.onnx\n"
      "  stride quantize cnn2d-trained.onnx --precision full-int --calib data/tum-gaid-mini -o cnn2d-full-int.onnx\n"
      "  stride quantize gaitset.onnx --precision auto --calib data/casia-b-mini --backend onednn --max-drop 1 "
      "-o gaitset-fast.onnx");
  cmd->callback([a] { quantize(*a); });
}

}  // namespace stride::cli
