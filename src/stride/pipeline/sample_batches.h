#pragma once
// A few batches of real model inputs from a dataset's training subjects: what data-driven pruning
// criteria (activations) and calibration look at.
#include <cstdint>
#include <filesystem>

#include "stride/engine/backend.h"

namespace stride::pipeline {

// `samples` inputs (fewer if the training subjects have fewer recordings), spread evenly over the
// training subjects' recordings, cut deterministically and grouped into batches of `batch`. Throws
// stride::Error when the dataset does not fit the model or has no training recordings.
std::vector<TensorMap> sample_batches(const Graph& model, const std::filesystem::path& data, int64_t samples,
                                      int64_t batch);

}  // namespace stride::pipeline
