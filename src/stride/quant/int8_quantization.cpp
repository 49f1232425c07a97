#include "stride/quant/int8_quantization.h"

#include "stride/quant/quantization_record.h"

namespace stride::quant {

std::vector<std::string> activations_to_calibrate(const Graph& graph) { return select_qdq(graph).activations(); }

Graph quantize_int8(const Graph& graph, const StatisticsMap& statistics, const Int8Request& request) {
  const QdqSelection selection = select_qdq(graph, request.keep_float);
  std::map<std::string, Range> ranges =
      calibrate_all(statistics, selection.activations(), request.method, request.calibration);
  // A model input's range is its data's own (silhouettes in [0, 1]): there is no outlier to clip,
  // and its point masses (a silhouette's 0s and 1s) mislead a histogram search, so it keeps the
  // range it was seen over, whatever the method.
  for (const ValueInfo& input : graph.inputs)
    if (auto it = ranges.find(input.name); it != ranges.end())
      it->second = calibrate(statistics.at(input.name), Method::minmax);
  Graph quantized = write_qdq(graph, selection, ranges, {.per_channel = request.per_channel});
  record_int8(quantized, {method_name(request.method), request.samples, request.per_channel}, selection, ranges,
              {request.keep_float.begin(), request.keep_float.end()});
  return quantized;
}

}  // namespace stride::quant
