#pragma once
// What a quantized model records about its quantization in its metadata ("stride.quantization",
// JSON): the precision, the calibration method and sample count, and every activation's range,
// scale and type, so that a later reader (stride info, a re-quantization) knows how it was made.
#include <map>
#include <string>

#include "stride/quant/calibration.h"
#include "stride/quant/qdq_selection.h"

namespace stride::quant {

inline constexpr const char* kQuantizationKey = "stride.quantization";

struct CalibrationSummary {
  std::string method;       // "minmax", "percentile", "entropy"
  int64_t samples = 0;      // calibration inputs the statistics came from
  bool per_channel = true;
};

void record_int8(Graph& graph, const CalibrationSummary& summary, const QdqSelection& selection,
                 const std::map<std::string, Range>& ranges, const std::vector<std::string>& float_nodes);
void record_float_precision(Graph& graph, const std::string& precision);

struct DynamicSummary {
  bool per_channel = true;
  std::vector<std::string> integer_nodes;      // computed by MatMulInteger on run-time quantized data
  std::vector<std::string> weight_only_nodes;  // s8 weights, computed in f32
};
void record_dynamic(Graph& graph, const DynamicSummary& summary);

}  // namespace stride::quant
