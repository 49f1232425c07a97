#pragma once
// Quantizing a model as `stride quantize` does, as a library: static INT8 with the most accurate of
// several calibrations, layers returned to f32 until the accuracy drop is within a bound, full-int,
// FP16/BF16 and dynamic-range, and `auto` — the fastest precision on this machine within the bound.
// What needs a dataset or a clock comes from the caller: it measures accuracy and speed, and receives
// the report lines and progress that the work produces.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/quant/calibration.h"

namespace stride::quant {

// One calibration to try: a method and, for percentile, the share of |x| it keeps.
struct Calibration {
  Method method = Method::entropy;
  double percentile = 0;
  std::string name() const;  // "minmax", "percentile 99.9", ...
};

// The calibrations `method` asks for: "auto" tries min–max, entropy, MSE and percentiles 99.9, 99.99
// and 99.999 — which percentile suits a model differs as much as which method does;
// any other name is that method alone (percentile at `percentile`). Throws stride::Error for an
// unknown name.
std::vector<Calibration> calibrations_to_try(std::string_view method, double percentile);

// The caller's side of the work.
struct QuantizeHooks {
  // Accuracy in points of a model on the caller's test data; `label` names the model for its log.
  // Empty when there is no labelled data: then nothing that needs accuracy can be asked for.
  std::function<double(const Graph& model, const std::string& label)> accuracy;
  // The probes every accuracy is measured on (the same test recordings each time): the tables give
  // each accuracy's 95 % interval over them.
  int64_t probes = 0;
  // Median milliseconds of each model on this machine (for `auto`), and what they are ("b1 ms (onednn)").
  std::function<std::vector<double>(const std::vector<const Graph*>& models)> median_ms;
  std::string timing_label = "median ms";
  // Human-readable results as they come: tables, the choice made and why.
  std::function<void(const std::string& text)> report;
  // Progress of a long stage (`stage` changes when a new one starts).
  std::function<void(std::string_view stage, size_t done, size_t total)> progress;
};

struct QuantizeOptions {
  std::string precision;                  // fp16, bf16, int8, full-int, dynamic, auto
  std::vector<Calibration> calibrations;  // int8 / full-int (and auto): tried in turn, the most accurate kept
  bool per_channel = true;
  bool bias_correction = false;
  // int8 / full-int: layers return to f32 until the drop is within this many points;
  // auto: the drop a precision may cost to be chosen (default kAutoMaxDrop).
  std::optional<double> max_drop;
  std::string float_backend = "onednn";  // runs the float model to calibrate
};

// --precision auto without --max-drop: one point, the bound the paper's INT8 models met (within 0.3).
constexpr double kAutoMaxDrop = 1.0;

// Calibration inputs (int8 and full-int): batches of model inputs and how many samples they hold.
struct CalibrationBatches {
  std::vector<TensorMap> batches;
  int64_t samples = 0;
  int64_t asked = 0;  // samples the user asked for (--samples); fewer gives a warning line
};

struct QuantizeResult {
  Graph model;
  std::string precision;  // the one written: for auto, the one chosen
  // What was done and measured: precision, method, methods{name: accuracy}, calibration_seconds and
  // _samples, bias_correction, within_max_drop, float_nodes, accuracy_after, and for auto trials,
  // max_drop and the precision chosen.
  nlohmann::json report;
};

// Checks what the options ask for against what the caller can give (accuracy for several
// calibrations, --max-drop or auto; calibration inputs for int8 and full-int) and that the model has
// something to quantize, before any work: stride::Error naming what is missing.
void check_quantize_request(const Graph& model, const QuantizeOptions& options, bool has_accuracy,
                            bool has_calibration);

// The model at options.precision. `float_accuracy` is the FP32 model's when the caller measures
// accuracy; `calibration` may be null for fp16, bf16 and dynamic.
QuantizeResult quantize_model(const Graph& model, const QuantizeOptions& options, const CalibrationBatches* calibration,
                              std::optional<double> float_accuracy, const QuantizeHooks& hooks);

}  // namespace stride::quant
