#pragma once
// Calibrators: the range an activation is quantized over, from its statistics. Ranges are
// symmetric around zero (the zero point is always 0), or [0, t] for activations never negative.
#include <string>

#include "stride/quant/tensor_statistics.h"

namespace stride::quant {

enum class Method { minmax, percentile, entropy, mse };
Method parse_method(const std::string& name);  // "minmax", "percentile", "entropy", "mse"
std::string method_name(Method method);

struct CalibrationOptions {
  double percentile = 99.999;  // ONNX Runtime's default
  // The entropy search compares against this many levels on a signed range (s8: 0..127), twice as
  // many on an unsigned one (u8: 0..255).
  size_t quantized_levels = 128;
};

struct Range {
  double min = 0;
  double max = 0;
  bool operator==(const Range&) const = default;
};

// The clipping threshold t on |x| for each method (t ≤ max |x|).
double percentile_threshold(const AbsHistogram& histogram, double percentile);
double entropy_threshold(const AbsHistogram& histogram, size_t quantized_levels);
// The threshold minimising the expected squared error of quantizing to `steps` equal steps over
// [0, t]: rounding (step²/12 per value under t) against clipping ((|x| - t)² per value above it),
// the criterion of PyTorch's HistogramObserver and OpenVINO's MSE range estimator. `steps` is 127
// for s8 symmetric ranges, 255 for u8 [0, t].
double mse_threshold(const AbsHistogram& histogram, size_t steps);

// [min, max] exactly for min–max; [0, t] or [-t, t] for the others, t from the histogram.
Range calibrate(const TensorStatistics& statistics, Method method, const CalibrationOptions& options = {});

}  // namespace stride::quant
