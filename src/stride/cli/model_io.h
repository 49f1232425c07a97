#pragma once
// What several commands share: loading a model and reading its input files.
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::cli {

Graph load_model(const std::filesystem::path& path);

// A model as every JSON result names it: {"path": the file as given, "name": the graph's name}.
nlohmann::json model_reference(const std::string& path, const Graph& graph);

// "NAME=FILE" pairs → tensors read from .npy/.pb files. A single bare FILE is accepted for a
// model with one input.
TensorMap read_inputs(const Graph& graph, const std::vector<std::string>& specs);
// The FILE of an --input spec, "NAME=FILE" or a bare "FILE".
std::string input_file_of(const std::string& spec);

}  // namespace stride::cli
