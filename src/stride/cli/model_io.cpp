#include "stride/cli/model_io.h"

#include "stride/core/random.h"
#include "stride/io/tensor_file.h"
#include "stride/onnx/onnx_import.h"

namespace stride::cli {

Graph load_model(const std::filesystem::path& path) { return load_onnx(path); }

TensorMap read_inputs(const Graph& graph, const std::vector<std::string>& specs) {
  TensorMap inputs;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    std::string name, file;
    if (eq == std::string::npos) {
      if (graph.inputs.size() != 1)
        fail("--input '{}' names no input; the model has {} inputs, write NAME=FILE", spec, graph.inputs.size());
      name = graph.inputs[0].name;
      file = spec;
    } else {
      name = spec.substr(0, eq);
      file = spec.substr(eq + 1);
    }
    if (!graph.input(name)) fail("--input '{}': the model has no input named '{}'", spec, name);
    inputs[name] = read_tensor_file(file);
  }
  return inputs;
}

std::map<std::string, Shape> input_shapes_for_batch(const Graph& graph, int64_t batch) {
  if (batch < 1) fail("batch size must be at least 1, got {}", batch);
  std::map<std::string, Shape> shapes;
  for (const auto& v : graph.inputs) {
    Shape s = v.shape;
    for (auto& d : s)
      if (d < 0) d = batch;
    shapes[v.name] = s;
  }
  return shapes;
}

TensorMap random_inputs(const Graph& graph, int64_t batch, uint64_t seed) {
  TensorMap inputs;
  Random rng(seed);
  for (const auto& [name, shape] : input_shapes_for_batch(graph, batch)) {
    Tensor t(DType::f32, shape);
    for (float& v : t.values<float>()) v = rng.uniform();
    inputs[name] = t.cast(graph.input(name)->dtype);
  }
  return inputs;
}

}  // namespace stride::cli
