#pragma once
// Running a model while watching some of its intermediate values: the values become extra graph
// outputs, and each sample's values are handed to a visitor. Data-driven passes (activation
// pruning scores, quantization calibration) look at real activations this way.
#include <functional>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride {

// `values` may name node outputs, graph inputs or graph outputs. Each sample is one batch of the
// graph's inputs; a plan is compiled for each distinct set of input shapes (a shorter last batch).
// `visit` receives the watched values of one sample by name; `progress` (if set) the samples done.
void run_with_probes(const Graph& graph, const std::vector<std::string>& values, const Backend& backend,
                     const std::vector<TensorMap>& samples, const std::function<void(const TensorMap&)>& visit,
                     const std::function<void(size_t done, size_t total)>& progress = {});

}  // namespace stride
