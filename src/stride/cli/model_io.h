#pragma once
// What several commands share: loading a model, naming input files, making random inputs.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::cli {

Graph load_model(const std::filesystem::path& path);

// "NAME=FILE" pairs → tensors read from .npy/.pb files. A single bare FILE is accepted for a
// model with one input.
TensorMap read_inputs(const Graph& graph, const std::vector<std::string>& specs);

// Random inputs for every graph input (uniform in [0, 1), deterministic from `seed`), with
// unknown dimensions set to `batch`.
TensorMap random_inputs(const Graph& graph, int64_t batch, uint64_t seed);

// Declared shape of each input with unknown dimensions set to `batch`.
std::map<std::string, Shape> input_shapes_for_batch(const Graph& graph, int64_t batch);

}  // namespace stride::cli
