#include "stride/cli/model_io.h"

#include "stride/core/usage_error.h"
#include "stride/io/tensor_file.h"
#include "stride/onnx/onnx_import.h"

namespace stride::cli {

Graph load_model(const std::filesystem::path& path) { return load_onnx(path); }

nlohmann::json model_reference(const std::string& path, const Graph& graph) {
  return {{"path", path}, {"name", graph.name}};
}

std::string input_file_of(const std::string& spec) {
  const auto eq = spec.find('=');
  return eq == std::string::npos ? spec : spec.substr(eq + 1);
}

TensorMap read_inputs(const Graph& graph, const std::vector<std::string>& specs) {
  TensorMap inputs;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    std::string name, file;
    if (eq == std::string::npos) {
      if (graph.inputs.size() != 1)
        usage_fail("--input '{}' names no input; the model has {} inputs, write NAME=FILE", spec, graph.inputs.size());
      name = graph.inputs[0].name;
      file = spec;
    } else {
      name = spec.substr(0, eq);
      file = input_file_of(spec);
    }
    if (!graph.input(name)) usage_fail("--input '{}': the model has no input named '{}'", spec, name);
    inputs[name] = read_tensor_file(file);
  }
  return inputs;
}

}  // namespace stride::cli
