#include "stride/quant/int8_quantization.h"

#include "stride/quant/quantization_record.h"

namespace stride::quant {

std::vector<std::string> activations_to_calibrate(const Graph& graph) { return select_qdq(graph).activations(); }

Graph quantize_int8(const Graph& graph, const StatisticsMap& statistics, const Int8Request& request) {
  const QdqSelection selection = select_qdq(graph, request.keep_float);
  const std::map<std::string, Range> ranges =
      calibrate_all(statistics, selection.activations(), request.method, request.calibration);
  Graph quantized = write_qdq(graph, selection, ranges, {.per_channel = request.per_channel});
  record_int8(quantized, {method_name(request.method), request.samples, request.per_channel}, selection, ranges,
              {request.keep_float.begin(), request.keep_float.end()});
  return quantized;
}

}  // namespace stride::quant
