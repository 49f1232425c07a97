// `stride quantize`: FP16/BF16 weight storage, static INT8 as QDQ ONNX calibrated on real inputs
// (min–max, percentile, entropy, MSE, or all measured: auto) — full-int: with integer inputs and
// outputs too — or dynamic-range INT8 (s8 weights, activations quantized at run time), with accuracy
// before and after on the dataset's test subjects and, with --max-drop, layers returned to f32
// until within bound.
// `--precision auto` makes every precision and keeps the fastest on this machine within the bound;
// `--bench` times the result against the FP32 model on the engine.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
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
#include "stride/engine/select/make_backend.h"
#include "stride/onnx/onnx_export.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/quant/accuracy_aware.h"
#include "stride/quant/bias_correction.h"
#include "stride/quant/dynamic_quantization.h"
#include "stride/quant/float_precision.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/integer_interface.h"
#include "stride/quant/precision_choice.h"
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

// --precision auto without --max-drop: one point, the bound the paper's INT8 models met (within 0.3).
constexpr double kAutoMaxDrop = 1.0;

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

// What --method asks to try. `auto` tries min–max, entropy, MSE and three percentiles: which percentile
// suits a model differs as much as which method does (ONNX Runtime users found only 99.9 matching
// TensorRT where the default 99.999 did not; REFERENCE.md §6).
std::vector<std::pair<quant::Method, double>> calibrations_to_try(const QuantizeArgs& args) {
  if (args.method != "auto") return {{quant::parse_method(args.method), args.percentile}};
  return {{quant::Method::minmax, 0},          {quant::Method::percentile, 99.9}, {quant::Method::percentile, 99.99},
          {quant::Method::percentile, 99.999}, {quant::Method::entropy, 0},       {quant::Method::mse, 0}};
}

std::string points(std::optional<double> a) { return a ? fmt::format("{:.2f}", *a) : "-"; }

Graph to_float16(const std::string& precision, const Graph& model) {
  Graph narrow = quant::store_weights_as(model, quant::float_precision(precision));
  quant::record_float_precision(narrow, precision);
  return narrow;
}

// Makes the int8 model of one request: quantize_int8, and with --bias-correction its biases corrected
// on the calibration inputs.
using Int8Maker = std::function<Graph(const quant::Int8Request&)>;

// --max-drop: the most harmful layers return to f32, one at a time, until the drop is within bound.
void revert_harmful_layers(const QuantizeArgs& args, const Graph& model, const Int8Maker& make_int8,
                           quant::Int8Request request, double float_accuracy, Accuracy& accuracy, Candidate& chosen,
                           nlohmann::json& report) {
  ProgressBar revert("returning layers to f32");
  const quant::RevertResult r = quant::revert_until_within(
      quant::select_qdq(model).nodes, float_accuracy, *chosen.accuracy, *args.max_drop,
      [&](const std::set<std::string>& keep) {
        request.keep_float = keep;
        return accuracy.of(make_int8(request), args.backend, fmt::format("int8 with {} in f32", fmt::join(keep, ", ")));
      },
      [&](size_t d, size_t t) { revert.update(d, t); });
  request.keep_float = r.keep_float;
  chosen.model = make_int8(request);
  chosen.accuracy = r.accuracy;
  if (!r.within_bound)
    fmt::print("no set of layers returned to f32 meets --max-drop {:g}; kept the reverts that helped most ({})\n",
               *args.max_drop,
               r.order.empty() ? "none: the model stays all int8" : fmt::format("{}", fmt::join(r.order, ", ")));
  else
    fmt::print("returned to f32 (most harmful first): {}\n", fmt::join(r.order, ", "));
  report["within_max_drop"] = r.within_bound;
  report["float_nodes"] = r.order;
}

// The model's inputs and outputs, which full-int makes integer too, and so calibrates as well.
std::vector<std::string> interface_values(const Graph& model) {
  std::vector<std::string> values;
  for (const ValueInfo& v : model.inputs) values.push_back(v.name);
  for (const ValueInfo& v : model.outputs) values.push_back(v.name);
  return values;
}

// `integer_interface`: full-int — the chosen int8 model then takes and gives integers, its
// inputs and outputs on the scale of their min–max range (they hold every value seen).
Graph to_int8(const QuantizeArgs& args, const Graph& model, std::optional<double> float_accuracy,
              std::optional<Accuracy>& accuracy, nlohmann::json& report, bool integer_interface = false) {
  if (args.calib.empty())
    fail("--precision {} needs calibration inputs: --calib DIR (a dataset or .npy files)", args.precision);
  const auto calibrations = calibrations_to_try(args);
  std::vector<std::string> activations = quant::activations_to_calibrate(model);  // refuses an empty model
  if (integer_interface)
    for (const std::string& v : interface_values(model))
      if (std::find(activations.begin(), activations.end(), v) == activations.end()) activations.push_back(v);
  if (args.method == "auto" && !accuracy) fail("--method auto measures accuracy: --calib must be a dataset folder");
  if (args.max_drop && !accuracy) fail("--max-drop measures accuracy: --calib must be a dataset folder");
  const CalibrationInputs inputs = read_calibration_inputs(model, args.calib, args.samples);

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(fmt::format("calibrating on {} inputs", inputs.samples));
  const std::unique_ptr<Backend> float_backend = make_backend(args.float_backend);
  const quant::StatisticsMap stats = quant::collect_statistics(model, activations, *float_backend, inputs.batches,
                                                               [&](size_t d, size_t t) { bar.update(d, t); });
  quant::Int8Request request{.method = calibrations.front().first,
                             .calibration = {.percentile = args.percentile},
                             .per_channel = args.per_channel,
                             .keep_float = {},
                             .samples = inputs.samples};
  const Int8Maker make_int8 = [&](const quant::Int8Request& r) {
    if (!args.bias_correction) return quant::quantize_int8(model, stats, r);
    return quant::correct_biases(
               model, [&](const Graph& corrected) { return quant::quantize_int8(corrected, stats, r); }, *float_backend,
               inputs.batches)
        .model;
  };
  std::vector<Candidate> candidates;
  for (const auto& [method, percentile] : calibrations) {
    request.method = method;
    if (method == quant::Method::percentile) request.calibration.percentile = percentile;
    candidates.push_back({method, percentile, make_int8(request), std::nullopt});
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
  report["bias_correction"] = args.bias_correction;
  if (args.max_drop && *float_accuracy - *chosen.accuracy > *args.max_drop) {
    request.method = chosen.method;
    request.calibration.percentile = chosen.percentile;
    revert_harmful_layers(args, model, make_int8, request, *float_accuracy, *accuracy, chosen, report);
  }
  if (integer_interface) {
    chosen.model = quant::with_integer_interface(
        chosen.model, quant::calibrate_all(stats, interface_values(model), quant::Method::minmax, {}));
    if (accuracy) chosen.accuracy = accuracy->of(chosen.model, args.backend, "full-int " + chosen.name());
  }
  if (chosen.accuracy) report["accuracy_after"] = *chosen.accuracy;
  return std::move(chosen.model);
}

// The model at one precision (fp16, bf16, int8 or dynamic), its accuracy in report["accuracy_after"]
// when there is a dataset to measure it on.
Graph to_precision(const QuantizeArgs& args, const std::string& precision, const Graph& model,
                   std::optional<double> float_accuracy, std::optional<Accuracy>& accuracy, nlohmann::json& report) {
  report["precision"] = precision;
  if (precision == "int8" || precision == "full-int")
    return to_int8(args, model, float_accuracy, accuracy, report, precision == "full-int");
  Graph narrow = precision == "dynamic" ? quant::quantize_dynamic(model, {.per_channel = args.per_channel})
                                        : to_float16(precision, model);
  if (accuracy) report["accuracy_after"] = accuracy->of(narrow, args.backend, precision);
  return narrow;
}

// --precision auto: every precision made and measured; the fastest within the accuracy bound kept.
Graph to_fastest(const QuantizeArgs& args, const Graph& model, double float_accuracy, std::optional<Accuracy>& accuracy,
                 nlohmann::json& report) {
  const double max_drop = args.max_drop.value_or(kAutoMaxDrop);
  std::vector<std::string> precisions{"fp32"};
  std::vector<Graph> models{model};
  std::vector<double> accuracies{float_accuracy};
  for (const char* p : {"fp16", "bf16", "dynamic", "int8"}) {
    nlohmann::json own;
    models.push_back(to_precision(args, p, model, float_accuracy, accuracy, own));
    precisions.push_back(p);
    accuracies.push_back(own["accuracy_after"].get<double>());
    report["trials"][p] = own;
  }
  std::vector<const Graph*> pointers;
  for (const Graph& m : models) pointers.push_back(&m);
  const int64_t batch = args.bench_batches.front();
  const std::vector<double> ms = median_ms_on_engine(pointers, batch, args.threads);

  std::vector<quant::PrecisionTrial> trials;
  for (size_t i = 0; i < models.size(); ++i) trials.push_back({precisions[i], accuracies[i], ms[i]});
  const size_t chosen = quant::choose_precision(trials, float_accuracy, max_drop);

  TextTable table({{"precision", TextTable::Align::left},
                   {"accuracy (%)"},
                   {"drop (points)"},
                   {fmt::format("b{} ms (onednn)", batch)},
                   {"vs fp32"},
                   {"", TextTable::Align::left}});
  for (size_t i = 0; i < trials.size(); ++i) {
    const double drop = float_accuracy - trials[i].accuracy;
    table.add_row({trials[i].precision, points(trials[i].accuracy), points(drop), fmt::format("{:.3f}", trials[i].ms),
                   fmt::format("{:.2f}x", trials[0].ms / trials[i].ms),
                   i == chosen ? "chosen" : (drop > max_drop ? "over the bound" : "")});
    report["trials"][trials[i].precision]["accuracy_after"] = trials[i].accuracy;
    report["trials"][trials[i].precision]["median_ms"] = trials[i].ms;
  }
  fmt::print("{}fastest within {:g} point{} of fp32 at batch {} on this machine: {}\n", table.render(), max_drop,
             max_drop == 1 ? "" : "s", batch, trials[chosen].precision);
  report["max_drop"] = max_drop;
  report["bench_batch"] = batch;
  report["precision"] = trials[chosen].precision;
  report["accuracy_after"] = trials[chosen].accuracy;
  return std::move(models[chosen]);
}

void quantize(const QuantizeArgs& args) {
  check_output_paths({{"model", args.model}, {"dataset", args.calib}}, {{"-o", args.output}, {"--json", args.json}});
  const std::set<std::string> precisions{"int8", "full-int", "fp16", "bf16", "dynamic", "auto"};
  if (!precisions.count(args.precision))
    fail("unknown precision '{}' (expected fp16, bf16, int8, full-int, dynamic or auto)", args.precision);
  if (args.method != "auto") quant::parse_method(args.method);
  if (args.max_drop && args.precision != "int8" && args.precision != "full-int" && args.precision != "auto")
    fail("--max-drop applies to --precision int8, full-int and auto");
  if (args.bias_correction && args.precision != "int8" && args.precision != "full-int" && args.precision != "auto")
    fail("--bias-correction applies to --precision int8, full-int and auto");
  const Graph model = load_model(args.model);
  if (args.precision == "int8" || args.precision == "full-int")
    quant::activations_to_calibrate(model);                         // nothing to quantize: refuse now
  if (args.precision == "dynamic") quant::quantize_dynamic(model);  // likewise

  nlohmann::json report;
  report["model"] = args.model;
  report["output"] = args.output;
  report["backend"] = args.backend;
  // Accuracy needs a dataset (a folder of .npy inputs has no labels).
  std::optional<Accuracy> accuracy;
  std::optional<double> before;
  const bool dataset = !args.calib.empty() && !fs::is_empty(args.calib) &&
                       std::none_of(fs::directory_iterator(args.calib), fs::directory_iterator(),
                                    [](const fs::directory_entry& e) { return e.path().extension() == ".npy"; });
  if (args.precision == "auto" && !dataset)
    fail("--precision auto compares accuracies: --calib must be a dataset folder");
  if (dataset) {
    accuracy.emplace(args, model);
    before = accuracy->of(model, args.float_backend, "fp32");
    report["accuracy_before"] = *before;
  }

  const Graph result = args.precision == "auto" ? to_fastest(args, model, *before, accuracy, report)
                                                : to_precision(args, args.precision, model, before, accuracy, report);
  const std::string written = report["precision"].get<std::string>();
  save_onnx(result, args.output);

  const auto size_before = static_cast<int64_t>(fs::file_size(args.model));
  const auto size_after = static_cast<int64_t>(fs::file_size(args.output));
  TextTable table({{"", TextTable::Align::left}, {"fp32"}, {written}});
  table.add_row({"file bytes", with_thousands(size_before), with_thousands(size_after)});
  if (before)
    table.add_row({fmt::format("accuracy (%, {})", args.classifier), points(before),
                   points(report["accuracy_after"].get<double>())});
  fmt::print("{}compression: {:.2f}x\n", table.render(), double(size_before) / double(size_after));
  report["file_bytes"] = {size_before, size_after};
  report["compression_ratio"] = double(size_before) / double(size_after);
  if (args.bench && written != "fp32")
    report["bench"] = print_engine_speedups(model, result, written, args.bench_batches, args.threads);
  fmt::print("wrote {}\n", args.output);
  if (!args.json.empty()) write_file_atomically(args.json, report.dump(2) + "\n");
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
  cmd->add_option("--precision", a->precision,
                  "fp16, bf16, int8 (static, calibrated), full-int (int8 with integer inputs and outputs too), "
                  "dynamic (s8 weights, activations quantized at run time; no calibration), or auto (makes each but "
                  "full-int, keeps the fastest on this machine within --max-drop points of fp32; default bound 1 point)")
      ->required();
  cmd->add_option("--calib", a->calib,
                  "Calibration inputs: a dataset folder (training subjects calibrate, test subjects measure "
                  "accuracy) or a folder of .npy model inputs")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--samples", a->samples, "Calibration inputs to use")->capture_default_str()->check(in_range(1, 1e6));
  cmd->add_option(
         "--method", a->method,
         "minmax, percentile, entropy, mse, or auto (tries each, percentile at 99.9, 99.99 and 99.999, and keeps "
         "the most accurate)")
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
