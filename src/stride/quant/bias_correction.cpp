#include "stride/quant/bias_correction.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "stride/engine/probed_run.h"
#include "stride/quant/quantization_record.h"

namespace stride::quant {
namespace {

using ChannelMeans = std::map<std::string, std::vector<double>>;

// Mean of each channel (axis 1) of `values` over every sample, batch item and position.
ChannelMeans channel_means(const Graph& graph, const std::vector<std::string>& values, const Backend& backend,
                           const std::vector<TensorMap>& samples) {
  ChannelMeans sums;
  std::map<std::string, int64_t> counts;
  run_with_probes(graph, values, backend, samples, [&](const TensorMap& watched) {
    for (const auto& [value, tensor] : watched) {
      if (tensor.rank() < 2) fail("bias correction: '{}' has no channel axis", value);
      const Tensor f = tensor.to_f32();
      const auto x = f.values<float>();
      const int64_t channels = f.dim(1), inner = f.numel() / (f.dim(0) * channels);
      std::vector<double>& sum = sums[value];
      sum.resize(static_cast<size_t>(channels), 0.0);
      for (int64_t i = 0; i < f.numel(); ++i) sum[static_cast<size_t>((i / inner) % channels)] += x[i];
      counts[value] += f.numel() / channels;
    }
  });
  for (auto& [value, sum] : sums)
    for (double& s : sum) s /= static_cast<double>(counts.at(value));
  return sums;
}

// A node of `node_name` in `graph` (names are kept by quantization).
const Node& node_named(const Graph& graph, const std::string& node_name) {
  auto it = std::find_if(graph.nodes.begin(), graph.nodes.end(), [&](const Node& n) { return n.name == node_name; });
  if (it == graph.nodes.end()) fail("bias correction: the int8 model has no node '{}'", node_name);
  return *it;
}

// The layers to correct, in the float model's (topological) order.
std::vector<const Node*> correctable_layers(const Graph& float_model, const Graph& int8_model) {
  std::vector<const Node*> layers;
  for (size_t i : topological_order(float_model)) {
    const Node& n = float_model.nodes[i];
    if ((n.op_type != "Conv" && n.op_type != "Gemm") || n.inputs.size() < 3 || n.inputs[2].empty()) continue;
    if (n.op_type == "Gemm" && n.attrs.get_float("beta", 1.0f) != 1.0f) continue;
    auto bias = float_model.initializers.find(n.inputs[2]);
    if (bias == float_model.initializers.end() || bias->second.dtype() != DType::f32 || bias->second.rank() != 1)
      continue;
    if (float_model.reads(n.inputs[2]) != 1) continue;
    const Node* weight = int8_model.producer(node_named(int8_model, n.name).inputs[1]);
    if (weight && weight->op_type == "DequantizeLinear") layers.push_back(&n);
  }
  return layers;
}

void record_correction(Graph& int8_model, const BiasCorrection& c) {
  auto it = int8_model.metadata.find(kQuantizationKey);
  nlohmann::json j = it == int8_model.metadata.end() ? nlohmann::json::object() : nlohmann::json::parse(it->second);
  j["bias_correction"] = {{"method", "empirical: E[y_f32] - E[y_int8] per output channel on the calibration inputs"},
                          {"nodes", c.nodes}};
  int8_model.metadata[kQuantizationKey] = j.dump();
}

}  // namespace

BiasCorrection correct_biases(const Graph& float_model, const std::function<Graph(const Graph&)>& quantize,
                              const Backend& backend, const std::vector<TensorMap>& samples) {
  Graph corrected = float_model;
  BiasCorrection result{quantize(corrected), {}, {}};
  const std::vector<const Node*> layers = correctable_layers(float_model, result.model);
  std::vector<std::string> float_outputs;
  for (const Node* n : layers) float_outputs.push_back(n->outputs[0]);
  const ChannelMeans float_means = channel_means(float_model, float_outputs, backend, samples);

  for (const Node* layer : layers) {
    // A graph output keeps its name on the int8 model's last DequantizeLinear: read the node's own.
    const std::string int8_output = node_named(result.model, layer->name).outputs[0];
    const std::vector<double> int8_mean = channel_means(result.model, {int8_output}, backend, samples).at(int8_output);
    const std::vector<double>& want = float_means.at(layer->outputs[0]);
    auto bias = corrected.initializers.at(layer->inputs[2]).values<float>();
    if (bias.size() != want.size()) continue;  // a bias broadcast over channels is no per-channel bias
    double shift = 0;
    for (size_t c = 0; c < bias.size(); ++c) {
      bias[c] += static_cast<float>(want[c] - int8_mean[c]);
      shift += std::fabs(want[c] - int8_mean[c]);
    }
    result.nodes.push_back(layer->name);
    result.mean_shifts.push_back(shift / static_cast<double>(bias.size()));
    result.model = quantize(corrected);
  }
  record_correction(result.model, result);
  return result;
}

}  // namespace stride::quant
