#include "stride/quant/quantize_workflow.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "stride/core/shortfall.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/weight_checks.h"
#include "stride/quant/accuracy_aware.h"
#include "stride/quant/activation_statistics.h"
#include "stride/quant/bias_correction.h"
#include "stride/quant/calibration_checks.h"
#include "stride/quant/dynamic_quantization.h"
#include "stride/quant/float_precision.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/integer_interface.h"
#include "stride/quant/precision_choice.h"
#include "stride/quant/qdq_selection.h"
#include "stride/report/accuracy_text.h"
#include "stride/quant/quantization_record.h"
#include "stride/report/text_table.h"

namespace stride::quant {
namespace {

std::string points(std::optional<double> a) { return a ? fmt::format("{:.2f}", *a) : "-"; }

// The hooks' optional parts, callable whether the caller gave them or not.
void tell(const QuantizeHooks& hooks, const std::string& text) {
  if (hooks.report) hooks.report(text);
}
std::function<void(size_t, size_t)> progress_of(const QuantizeHooks& hooks, std::string stage) {
  return [&hooks, stage = std::move(stage)](size_t done, size_t total) {
    if (hooks.progress) hooks.progress(stage, done, total);
  };
}

struct Candidate {
  Calibration calibration;
  Graph model;
  std::optional<double> accuracy;
};

Graph to_float16(const std::string& precision, const Graph& model) {
  Graph narrow = store_weights_as(model, float_precision(precision));
  record_float_precision(narrow, precision);
  return narrow;
}

// The model's inputs and outputs, which full-int makes integer too, and so calibrates as well.
std::vector<std::string> interface_values(const Graph& model) {
  std::vector<std::string> values;
  for (const ValueInfo& v : model.inputs) values.push_back(v.name);
  for (const ValueInfo& v : model.outputs) values.push_back(v.name);
  return values;
}

// Makes the int8 model of one request: quantize_int8, and with bias correction its biases corrected
// on the calibration inputs.
using Int8Maker = std::function<Graph(const Int8Request&)>;

// --max-drop: the most harmful layers return to f32, one at a time, until the drop is within bound.
void revert_harmful_layers(const QuantizeOptions& options, const Graph& model, const Int8Maker& make_int8,
                           Int8Request request, double float_accuracy, const QuantizeHooks& hooks, Candidate& chosen,
                           nlohmann::json& report) {
  const RevertResult r = revert_until_within(
      select_qdq(model).nodes, float_accuracy, *chosen.accuracy, *options.max_drop,
      [&](const std::set<std::string>& keep) {
        request.keep_float = keep;
        return hooks.accuracy(make_int8(request), fmt::format("int8 with {} in f32", fmt::join(keep, ", ")));
      },
      progress_of(hooks, "returning layers to f32"));
  request.keep_float = r.keep_float;
  chosen.model = make_int8(request);
  chosen.accuracy = r.accuracy;
  if (r.within_bound) {
    tell(hooks, fmt::format("returned to f32 (most harmful first): {}\n", fmt::join(r.order, ", ")));
  } else {
    const std::string unmet = fmt::format(
        "no set of layers returned to f32 meets --max-drop {:g}: the drop is {:.2f} points; kept the "
        "reverts that helped most ({})",
        *options.max_drop, float_accuracy - r.accuracy,
        r.order.empty() ? "none: the model stays all int8" : fmt::format("{}", fmt::join(r.order, ", ")));
    // auto weighs this int8 model against the other precisions; int8 asked for is written, as
    // documented, with a warning line naming the drop and the bound.
    if (options.precision == "auto")
      tell(hooks, unmet + "\n");
    else
      check_met(false, ShortfallRule::best_effort, unmet);
  }
  report["within_max_drop"] = r.within_bound;
  report["float_nodes"] = r.order;
}

// int8, and with `integer_interface` full-int: the chosen int8 model then takes and gives integers,
// its inputs and outputs on the scale of their min–max range (they hold every value seen).
Graph to_int8(const QuantizeOptions& options, const Graph& model, const CalibrationBatches& inputs,
              std::optional<double> float_accuracy, const QuantizeHooks& hooks, nlohmann::json& report,
              bool integer_interface) {
  std::vector<std::string> activations = activations_to_calibrate(model);  // refuses an empty model
  if (integer_interface)
    for (const std::string& v : interface_values(model))
      if (std::find(activations.begin(), activations.end(), v) == activations.end()) activations.push_back(v);

  // What enters calibration is checked here, whoever read it: a dtype, a NaN or zero rows would all
  // give scales that look sound.
  const int64_t samples = check_calibration_batches(model, inputs.batches, inputs.asked);
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<Backend> float_backend = make_backend(options.float_backend);
  const StatisticsMap stats = collect_statistics(model, activations, *float_backend, inputs.batches,
                                                 progress_of(hooks, fmt::format("calibrating on {} inputs", samples)));
  Int8Request request{.method = options.calibrations.front().method,
                      .calibration = {.percentile = options.calibrations.front().percentile},
                      .per_channel = options.per_channel,
                      .keep_float = {},
                      .samples = samples};
  const Int8Maker make_int8 = [&](const Int8Request& r) {
    if (!options.bias_correction) return quantize_int8(model, stats, r);
    return correct_biases(
               model, [&](const Graph& corrected) { return quantize_int8(corrected, stats, r); }, *float_backend,
               inputs.batches)
        .model;
  };
  std::vector<Candidate> candidates;
  for (const Calibration& c : options.calibrations) {
    request.method = c.method;
    if (c.method == Method::percentile) request.calibration.percentile = c.percentile;
    candidates.push_back({c, make_int8(request), std::nullopt});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tell(hooks,
       fmt::format("calibration: {} activations over {} inputs in {:.2f} s\n", activations.size(), samples, seconds));
  report["calibration_ms"] = 1000 * seconds;
  report["calibration_samples"] = samples;

  size_t best = 0;
  if (hooks.accuracy) {
    TextTable table({{"method", TextTable::Align::left}, {"accuracy (%)"}, {"95 % CI"}, {"drop (points)"}});
    for (size_t i = 0; i < candidates.size(); ++i) {
      Candidate& c = candidates[i];
      c.accuracy = hooks.accuracy(c.model, "int8 " + c.calibration.name());
      if (*c.accuracy > *candidates[best].accuracy) best = i;
      table.add_row({c.calibration.name(), points(c.accuracy), interval_cell(*c.accuracy, hooks.probes),
                     points(*float_accuracy - *c.accuracy)});
      report["methods"][c.calibration.name()] = *c.accuracy;
    }
    tell(hooks, table.render());
    if (candidates.size() > 1) tell(hooks, fmt::format("best: {}\n", candidates[best].calibration.name()));
  }
  Candidate chosen = std::move(candidates[best]);
  report["method"] = chosen.calibration.name();
  report["bias_correction"] = options.bias_correction;
  if (options.max_drop && *float_accuracy - *chosen.accuracy > *options.max_drop) {
    request.method = chosen.calibration.method;
    request.calibration.percentile = chosen.calibration.percentile;
    revert_harmful_layers(options, model, make_int8, request, *float_accuracy, hooks, chosen, report);
  }
  if (integer_interface) {
    chosen.model =
        with_integer_interface(chosen.model, calibrate_all(stats, interface_values(model), Method::minmax, {}));
    if (hooks.accuracy) chosen.accuracy = hooks.accuracy(chosen.model, "full-int " + chosen.calibration.name());
  }
  if (chosen.accuracy) report["accuracy_after"] = *chosen.accuracy;
  return std::move(chosen.model);
}

// The model at one precision (fp16, bf16, int8, full-int or dynamic), its accuracy in
// report["accuracy_after"] when the caller measures accuracy.
Graph to_precision(const QuantizeOptions& options, const std::string& precision, const Graph& model,
                   const CalibrationBatches* calibration, std::optional<double> float_accuracy,
                   const QuantizeHooks& hooks, nlohmann::json& report) {
  report["precision"] = precision;
  if (precision == "int8" || precision == "full-int")
    return to_int8(options, model, *calibration, float_accuracy, hooks, report, precision == "full-int");
  Graph narrow = precision == "dynamic" ? quantize_dynamic(model, {.per_channel = options.per_channel})
                                        : to_float16(precision, model);
  if (hooks.accuracy) report["accuracy_after"] = hooks.accuracy(narrow, precision);
  return narrow;
}

// auto: every precision made and measured; the fastest within the accuracy bound kept.
Graph to_fastest(const QuantizeOptions& options, const Graph& model, const CalibrationBatches* calibration,
                 double float_accuracy, const QuantizeHooks& hooks, nlohmann::json& report) {
  const double max_drop = options.max_drop.value_or(kAutoMaxDrop);
  std::vector<std::string> precisions{"fp32"};
  std::vector<Graph> models{model};
  std::vector<double> accuracies{float_accuracy};
  for (const char* p : {"fp16", "bf16", "dynamic", "int8"}) {
    nlohmann::json own;
    models.push_back(to_precision(options, p, model, calibration, float_accuracy, hooks, own));
    precisions.push_back(p);
    accuracies.push_back(own["accuracy_after"].get<double>());
    report["trials"][p] = own;
  }
  std::vector<const Graph*> pointers;
  for (const Graph& m : models) pointers.push_back(&m);
  const std::vector<double> ms = hooks.median_ms(pointers);

  std::vector<PrecisionTrial> trials;
  for (size_t i = 0; i < models.size(); ++i) trials.push_back({precisions[i], accuracies[i], ms[i]});
  const size_t chosen = choose_precision(trials, float_accuracy, max_drop);

  TextTable table({{"precision", TextTable::Align::left},
                   {"accuracy (%)"},
                   {"95 % CI"},
                   {"drop (points)"},
                   {hooks.timing_label},
                   {"vs fp32"},
                   {"", TextTable::Align::left}});
  for (size_t i = 0; i < trials.size(); ++i) {
    const double drop = float_accuracy - trials[i].accuracy;
    table.add_row({trials[i].precision, points(trials[i].accuracy), interval_cell(trials[i].accuracy, hooks.probes),
                   points(drop), fmt::format("{:.3f}", trials[i].ms),
                   fmt::format("{:.2f}x", trials[0].ms / trials[i].ms),
                   i == chosen ? "chosen" : (drop > max_drop ? "over the bound" : "")});
    report["trials"][trials[i].precision]["accuracy_after"] = trials[i].accuracy;
    report["trials"][trials[i].precision]["median_ms"] = trials[i].ms;
  }
  tell(hooks, fmt::format("{}fastest within {:g} point{} of fp32 on this machine ({}): {}\n", table.render(), max_drop,
                          max_drop == 1 ? "" : "s", hooks.timing_label, trials[chosen].precision));
  report["max_drop"] = max_drop;
  report["precision"] = trials[chosen].precision;
  report["accuracy_after"] = trials[chosen].accuracy;
  return std::move(models[chosen]);
}

}  // namespace

std::string Calibration::name() const {
  return method == Method::percentile ? fmt::format("percentile {:g}", percentile) : method_name(method);
}

std::vector<Calibration> calibrations_to_try(std::string_view method, double percentile) {
  if (method != "auto") return {{parse_method(std::string(method)), percentile}};
  return {{Method::minmax, 0},          {Method::percentile, 99.9}, {Method::percentile, 99.99},
          {Method::percentile, 99.999}, {Method::entropy, 0},       {Method::mse, 0}};
}

void check_quantize_request(const Graph& model, const QuantizeOptions& options, bool has_accuracy,
                            bool has_calibration) {
  const std::set<std::string> precisions{"int8", "full-int", "fp16", "bf16", "dynamic", "auto"};
  const std::string& p = options.precision;
  if (!precisions.count(p))
    usage_fail("unknown precision '{}' (expected fp16, bf16, int8, full-int, dynamic or auto)", p);
  const bool int8 = p == "int8" || p == "full-int" || p == "auto";
  if (options.max_drop && !int8) usage_fail("--max-drop applies to --precision int8, full-int and auto");
  if (options.bias_correction && !int8) usage_fail("--bias-correction applies to --precision int8, full-int and auto");
  if (p == "auto" && !has_accuracy) usage_fail("--precision auto compares accuracies: --data must be a dataset folder");
  if (int8 && !has_calibration)
    usage_fail("--precision {} needs calibration inputs: --data DIR (a dataset or .npy files)", p);
  if (int8 && options.calibrations.empty()) usage_fail("--precision {} needs a calibration method", p);
  if (int8 && options.calibrations.size() > 1 && !has_accuracy)
    usage_fail("--method auto measures accuracy: --data must be a dataset folder");
  if (options.max_drop && !has_accuracy) usage_fail("--max-drop measures accuracy: --data must be a dataset folder");
  if (p == "int8" || p == "full-int") activations_to_calibrate(model);  // nothing to quantize: refuse now
  if (p == "dynamic") quantize_dynamic(model);                          // likewise
}

QuantizeResult quantize_model(const Graph& model, const QuantizeOptions& options, const CalibrationBatches* calibration,
                              std::optional<double> float_accuracy, const QuantizeHooks& hooks) {
  check_quantize_request(model, options, static_cast<bool>(hooks.accuracy), calibration != nullptr);
  check_finite_weights(model, "quantize");
  if (hooks.accuracy && !float_accuracy) fail("the fp32 model's accuracy is needed to measure a drop");
  if (options.precision == "auto" && !hooks.median_ms)
    usage_fail("--precision auto times each precision: no clock given");
  QuantizeResult result;
  result.model =
      options.precision == "auto"
          ? to_fastest(options, model, calibration, *float_accuracy, hooks, result.report)
          : to_precision(options, options.precision, model, calibration, float_accuracy, hooks, result.report);
  result.precision = result.report["precision"].get<std::string>();
  return result;
}

}  // namespace stride::quant
