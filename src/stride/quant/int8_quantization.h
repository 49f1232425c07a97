#pragma once
// Static int8 quantization of a float graph from collected activation statistics: the selection
// (qdq_selection.h), one calibrator's ranges, the QDQ graph and its metadata record.
#include <set>
#include <string>

#include "stride/quant/activation_statistics.h"
#include "stride/quant/qdq_writer.h"

namespace stride::quant {

struct Int8Request {
  Method method = Method::minmax;
  CalibrationOptions calibration;
  bool per_channel = true;
  std::set<std::string> keep_float;  // quantizable nodes left in f32
  int64_t samples = 0;               // calibration inputs, recorded in the metadata
};

// The activations to collect statistics for: those of the selection with nothing kept in f32 (any
// selection with nodes kept in f32 quantizes a subset of them).
std::vector<std::string> activations_to_calibrate(const Graph& graph);

Graph quantize_int8(const Graph& graph, const StatisticsMap& statistics, const Int8Request& request);

}  // namespace stride::quant
