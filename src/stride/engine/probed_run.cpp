#include "stride/engine/probed_run.h"

#include <algorithm>
#include <map>
#include <memory>

#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

std::map<std::string, Shape> shapes_of(const TensorMap& sample) {
  std::map<std::string, Shape> shapes;
  for (const auto& [name, tensor] : sample) shapes[name] = tensor.shape();
  return shapes;
}

// `graph` with every watched node output also a graph output.
Graph with_probe_outputs(const Graph& graph, const std::vector<std::string>& values,
                         const std::map<std::string, Shape>& input_shapes) {
  const GraphShapes shapes = infer_shapes(graph, input_shapes);
  Graph probed = graph;
  for (const std::string& value : values) {
    if (graph.input(value)) continue;  // read from the sample itself
    const bool already_output = std::any_of(probed.outputs.begin(), probed.outputs.end(),
                                            [&](const ValueInfo& out) { return out.name == value; });
    if (already_output) continue;
    const TensorInfo& info = shapes.at(value);
    probed.outputs.push_back({value, info.dtype, info.shape});
  }
  return probed;
}

}  // namespace

void run_with_probes(const Graph& graph, const std::vector<std::string>& values, const Backend& backend,
                     const std::vector<TensorMap>& samples, const std::function<void(const TensorMap&)>& visit,
                     const std::function<void(size_t, size_t)>& progress) {
  std::map<std::map<std::string, Shape>, std::unique_ptr<Plan>> plans;
  for (size_t s = 0; s < samples.size(); ++s) {
    const TensorMap& sample = samples[s];
    const std::map<std::string, Shape> input_shapes = shapes_of(sample);
    std::unique_ptr<Plan>& plan = plans[input_shapes];
    if (!plan)
      plan = backend.compile(with_probe_outputs(graph, values, input_shapes),
                             {.threads = 0, .input_shapes = input_shapes});
    TensorMap outputs = plan->run(sample);
    TensorMap watched;
    for (const std::string& value : values) {
      auto it = sample.find(value);
      watched[value] = it != sample.end() ? it->second : std::move(outputs.at(value));
    }
    visit(watched);
    if (progress) progress(s + 1, samples.size());
  }
}

}  // namespace stride
