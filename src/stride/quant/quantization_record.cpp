#include "stride/quant/quantization_record.h"

#include <nlohmann/json.hpp>

#include "stride/core/dtype.h"
#include "stride/quant/int8_scales.h"

namespace stride::quant {

void record_int8(Graph& graph, const CalibrationSummary& summary, const QdqSelection& selection,
                 const std::map<std::string, Range>& ranges, const std::vector<std::string>& float_nodes) {
  nlohmann::json j;
  j["precision"] = "int8";
  j["method"] = summary.method;
  j["calibration_samples"] = summary.samples;
  j["weights"] = summary.per_channel ? "s8 symmetric per output channel" : "s8 symmetric per tensor";
  j["quantized_nodes"] = selection.nodes;
  j["float_nodes"] = float_nodes;
  for (const auto& group : selection.groups) {
    const ActivationQuant q = group_quant(group, ranges);
    for (const std::string& value : group) {
      const Range& r = ranges.at(value);
      j["activations"][value] = {
          {"min", r.min}, {"max", r.max}, {"scale", q.scale}, {"type", std::string(dtype_name(q.type))}};
    }
  }
  graph.metadata[kQuantizationKey] = j.dump();
}

void record_float_precision(Graph& graph, const std::string& precision) {
  graph.metadata[kQuantizationKey] = nlohmann::json{{"precision", precision}, {"weights", precision + " stored, cast to f32"}}.dump();
}

void record_dynamic(Graph& graph, const DynamicSummary& summary) {
  nlohmann::json j;
  j["precision"] = "dynamic";
  j["weights"] = summary.per_channel ? "s8 symmetric per output channel" : "s8 symmetric per tensor";
  j["activations"] = "u8, scale and zero point from each batch's range (DynamicQuantizeLinear)";
  j["integer_nodes"] = summary.integer_nodes;
  j["weight_only_nodes"] = summary.weight_only_nodes;
  graph.metadata[kQuantizationKey] = j.dump();
}

}  // namespace stride::quant
