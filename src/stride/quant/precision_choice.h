#pragma once
// `stride quantize --precision auto`: of the precisions tried on this machine, the fastest whose
// accuracy stays within a bound of the FP32 model's. Which one that is depends on the CPU (AMX makes
// BF16 fast, VNNI INT8; without either FP32 may win) and on the model, so it is measured, not assumed.
#include <optional>
#include <string>
#include <vector>

namespace stride::quant {

struct PrecisionTrial {
  std::string precision;  // "fp32", "fp16", "bf16", "int8"
  double accuracy = 0;    // points
  double ms = 0;          // median latency on the engine
};

// Index of the fastest trial with float_accuracy - accuracy <= max_drop; the first trial (FP32,
// drop 0 by definition) when none is. Throws stride::Error on no trials or a negative max_drop.
size_t choose_precision(const std::vector<PrecisionTrial>& trials, double float_accuracy, double max_drop);

}  // namespace stride::quant
