// `stride quantize`: FP16/BF16 weight storage, or static INT8 as QDQ ONNX calibrated on real inputs
// (min–max, percentile, entropy, or all three measured: auto), with accuracy before and after on
// the dataset's test subjects and, with --max-drop, layers returned to f32 until within bound.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "stride/cli/calibration_inputs.h"
#include "stride/cli/commands.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/atomic_file.h"
#include "stride/engine/select/make_backend.h"
#include "stride/onnx/onnx_export.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/quant/accuracy_aware.h"
#include "stride/quant/float_precision.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"
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
  double percentile = 99.999;
  std::string backend = "ref";
  std::string float_backend = "onednn";
  std::string classifier = "knn";
  std::optional<double> max_drop;
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
      fail("--classifier {}: expected knn or softmax", args.classifier);
    ProgressBar bar("loading test recordings");
    test_ = pipeline::load_test_recordings(model, args.calib, 0, [&](size_t d, size_t t) { bar.update(d, t); });
  }
  // Prints one line per model, as evaluations on `ref` take minutes.
  double of(const Graph& model, const std::string& backend, const std::string& label) {
    options_.backend = backend;
    const pipeline::Evaluation e = pipeline::evaluate_model(model, test_, options_);
    fmt::print("accuracy of {} on {}: {:.2f} % ({} test recordings, {:.1f} s)\n", label, backend, e.mean_rank1(),
               e.test_recordings, e.feature_seconds + e.classifier_seconds);
    std::fflush(stdout);
    return e.mean_rank1();
  }

 private:
  pipeline::EvaluationOptions options_;
  pipeline::TestRecordings test_;
};

// One calibration tried: a method and, for percentile, the share of |x| it keeps.
struct Candidate {
  quant::Method method;
  double percentile = 0;
  Graph model;
  std::optional<double> accuracy;

  std::string name() const {
    return method == quant::Method::percentile ? fmt::format("percentile {:g}", percentile)
                                               : quant::method_name(method);
  }
};

// What --method asks to try. `auto` tries min–max, entropy and three percentiles: which percentile
// suits a model differs as much as which method does (ONNX Runtime users found only 99.9 matching
// TensorRT where the default 99.999 did not; REFERENCE.md §6).
std::vector<std::pair<quant::Method, double>> calibrations_to_try(const QuantizeArgs& args) {
  if (args.method != "auto") return {{quant::parse_method(args.method), args.percentile}};
  return {{quant::Method::minmax, 0},
          {quant::Method::percentile, 99.9},
          {quant::Method::percentile, 99.99},
          {quant::Method::percentile, 99.999},
          {quant::Method::entropy, 0}};
}

std::string points(std::optional<double> a) { return a ? fmt::format("{:.2f}", *a) : "-"; }

Graph to_float16(const QuantizeArgs& args, const Graph& model, nlohmann::json& report) {
  Graph narrow = quant::store_weights_as(model, quant::float_precision(args.precision));
  quant::record_float_precision(narrow, args.precision);
  report["precision"] = args.precision;
  return narrow;
}

// --max-drop: the most harmful layers return to f32, one at a time, until the drop is within bound.
void revert_harmful_layers(const QuantizeArgs& args, const Graph& model, const quant::StatisticsMap& stats,
                           quant::Int8Request request, double float_accuracy, Accuracy& accuracy, Candidate& chosen,
                           nlohmann::json& report) {
  ProgressBar revert("returning layers to f32");
  const quant::RevertResult r = quant::revert_until_within(
      quant::select_qdq(model).nodes, float_accuracy, *chosen.accuracy, *args.max_drop,
      [&](const std::set<std::string>& keep) {
        request.keep_float = keep;
        return accuracy.of(quant::quantize_int8(model, stats, request), args.backend,
                           fmt::format("int8 with {} in f32", fmt::join(keep, ", ")));
      },
      [&](size_t d, size_t t) { revert.update(d, t); });
  request.keep_float = r.keep_float;
  chosen.model = quant::quantize_int8(model, stats, request);
  chosen.accuracy = r.accuracy;
  fmt::print("returned to f32 (most harmful first): {}\n", fmt::join(r.order, ", "));
  report["float_nodes"] = r.order;
}

Graph to_int8(const QuantizeArgs& args, const Graph& model, std::optional<double> float_accuracy,
              std::optional<Accuracy>& accuracy, nlohmann::json& report) {
  if (args.calib.empty()) fail("--precision int8 needs calibration inputs: --calib DIR (a dataset or .npy files)");
  const auto calibrations = calibrations_to_try(args);
  const std::vector<std::string> activations = quant::activations_to_calibrate(model);  // refuses an empty model
  if (args.method == "auto" && !accuracy) fail("--method auto measures accuracy: --calib must be a dataset folder");
  if (args.max_drop && !accuracy) fail("--max-drop measures accuracy: --calib must be a dataset folder");
  const CalibrationInputs inputs = read_calibration_inputs(model, args.calib, args.samples);

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(fmt::format("calibrating on {} inputs", inputs.samples));
  const std::unique_ptr<Backend> float_backend = make_backend(args.float_backend);
  const quant::StatisticsMap stats = quant::collect_statistics(
      model, activations, *float_backend, inputs.batches, [&](size_t d, size_t t) { bar.update(d, t); });
  quant::Int8Request request{.method = calibrations.front().first,
                             .calibration = {.percentile = args.percentile},
                             .per_channel = args.per_channel,
                             .keep_float = {},
                             .samples = inputs.samples};
  std::vector<Candidate> candidates;
  for (const auto& [method, percentile] : calibrations) {
    request.method = method;
    if (method == quant::Method::percentile) request.calibration.percentile = percentile;
    candidates.push_back({method, percentile, quant::quantize_int8(model, stats, request), std::nullopt});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("calibration: {} activations over {} inputs in {:.2f} s\n", activations.size(), inputs.samples, seconds);
  report["calibration_seconds"] = seconds;
  report["calibration_samples"] = inputs.samples;

  size_t best = 0;
  if (accuracy) {
    TextTable table({{"method", TextTable::Align::left}, {"accuracy (%)"}, {"drop (points)"}});
    for (size_t i = 0; i < candidates.size(); ++i) {
      Candidate& c = candidates[i];
      c.accuracy = accuracy->of(c.model, args.backend, "int8 " + c.name());
      if (*c.accuracy > *candidates[best].accuracy) best = i;
      table.add_row({c.name(), points(c.accuracy), points(*float_accuracy - *c.accuracy)});
      report["methods"][c.name()] = *c.accuracy;
    }
    fmt::print("{}", table.render());
    if (candidates.size() > 1) fmt::print("best: {}\n", candidates[best].name());
  }
  Candidate chosen = std::move(candidates[best]);
  report["method"] = chosen.name();
  if (args.max_drop && *float_accuracy - *chosen.accuracy > *args.max_drop) {
    request.method = chosen.method;
    request.calibration.percentile = chosen.percentile;
    revert_harmful_layers(args, model, stats, request, *float_accuracy, *accuracy, chosen, report);
  }
  if (chosen.accuracy) report["accuracy_after"] = *chosen.accuracy;
  return std::move(chosen.model);
}

void quantize(const QuantizeArgs& args) {
  check_output_paths({{"model", args.model}, {"dataset", args.calib}}, {{"-o", args.output}, {"--json", args.json}});
  if (args.precision != "int8" && args.precision != "fp16" && args.precision != "bf16")
    fail("unknown precision '{}' (expected fp16, bf16 or int8)", args.precision);
  if (args.method != "auto") quant::parse_method(args.method);
  if (args.max_drop && args.precision != "int8") fail("--max-drop applies to --precision int8");
  const Graph model = load_model(args.model);
  if (args.precision == "int8") quant::activations_to_calibrate(model);  // nothing to quantize: refuse now

  nlohmann::json report;
  report["model"] = args.model;
  report["output"] = args.output;
  report["precision"] = args.precision;
  report["backend"] = args.backend;
  // Accuracy needs a dataset (a folder of .npy inputs has no labels).
  std::optional<Accuracy> accuracy;
  std::optional<double> before;
  const bool dataset = !args.calib.empty() && !fs::is_empty(args.calib) &&
                       std::none_of(fs::directory_iterator(args.calib), fs::directory_iterator(),
                                    [](const fs::directory_entry& e) { return e.path().extension() == ".npy"; });
  if (dataset) {
    accuracy.emplace(args, model);
    before = accuracy->of(model, args.float_backend, "fp32");
    report["accuracy_before"] = *before;
  }

  Graph result;
  if (args.precision == "int8") {
    result = to_int8(args, model, before, accuracy, report);
  } else {
    result = to_float16(args, model, report);
    if (accuracy) report["accuracy_after"] = accuracy->of(result, args.backend, args.precision);
  }
  save_onnx(result, args.output);

  const auto size_before = static_cast<int64_t>(fs::file_size(args.model));
  const auto size_after = static_cast<int64_t>(fs::file_size(args.output));
  TextTable table({{"", TextTable::Align::left}, {"fp32"}, {args.precision}});
  table.add_row({"file bytes", with_thousands(size_before), with_thousands(size_after)});
  if (before)
    table.add_row({fmt::format("accuracy (%, {})", args.classifier), points(before),
                   points(report["accuracy_after"].get<double>())});
  fmt::print("{}compression: {:.2f}x\nwrote {}\n", table.render(), double(size_before) / double(size_after),
             args.output);
  report["file_bytes"] = {size_before, size_after};
  report["compression_ratio"] = double(size_before) / double(size_after);
  if (!args.json.empty()) write_file_atomically(args.json, report.dump(2) + "\n");
}

}  // namespace

void add_quantize_command(CLI::App& app) {
  auto a = std::make_shared<QuantizeArgs>();
  CLI::App* cmd = app.add_subcommand("quantize", "FP16/BF16 weights, or static INT8 (QDQ ONNX) calibrated on real inputs");
  cmd->add_option("model", a->model, "ONNX model to quantize")->required()->check(CLI::ExistingFile);
  cmd->add_option("--output,-o", a->output, "Quantized ONNX model to write")->required();
  cmd->add_option("--precision", a->precision, "fp16, bf16 or int8")->required();
  cmd->add_option("--calib", a->calib,
                  "Calibration inputs: a dataset folder (training subjects calibrate, test subjects measure "
                  "accuracy) or a folder of .npy model inputs")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--samples", a->samples, "Calibration inputs to use")->capture_default_str();
  cmd->add_option("--method", a->method,
                  "minmax, percentile, entropy, or auto (tries each, percentile at 99.9, 99.99 and 99.999, and keeps "
                  "the most accurate)")
      ->capture_default_str();
  cmd->add_flag("--per-channel,!--per-tensor", a->per_channel,
                "Weights: one scale per output channel (default) or one per tensor");
  cmd->add_option("--percentile", a->percentile, "Percentile method: the share of |x| kept")->capture_default_str();
  cmd->add_option("--backend", a->backend, "Backend that runs the quantized model for accuracy")->capture_default_str();
  cmd->add_option("--float-backend", a->float_backend, "Backend that runs the float model (calibration, accuracy)")
      ->capture_default_str();
  cmd->add_option("--classifier", a->classifier, "knn or softmax (as stride eval)")->capture_default_str();
  cmd->add_option("--max-drop", a->max_drop,
                  "INT8: return the most harmful layers to f32 until the accuracy drop is at most this many points");
  cmd->add_option("--json", a->json, "Also write the report as JSON");
  cmd->footer(
      "Example:\n"
      "  stride quantize cnn2d-trained.onnx --precision int8 --calib data/tum-gaid-mini --method auto "
      "--samples 64 -o cnn2d-int8.onnx\n"
      "  stride quantize gaitset.onnx --precision fp16 -o gaitset-fp16.onnx");
  cmd->callback([a] { quantize(*a); });
}

}  // namespace stride::cli
