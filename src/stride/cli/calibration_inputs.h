#pragma once
// Where `stride quantize --data DIR` takes its calibration inputs from: a Stride dataset folder
// (the model family's loader cuts samples from the training subjects' recordings) or a folder of
// .npy tensors, one model input each (for models made elsewhere).
#include <cstdint>
#include <filesystem>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::cli {

// Calibration inputs per inference of the float model.
inline constexpr int64_t kCalibrationBatch = 8;

struct CalibrationInputs {
  std::vector<TensorMap> batches;
  int64_t samples = 0;  // inputs in all batches
  bool from_dataset = false;
};

// Throws stride::Error (one line, naming the folder or the file) for an empty folder, a .npy whose
// shape does not fit the model's input, or a multi-input model given .npy files.
CalibrationInputs read_calibration_inputs(const Graph& model, const std::filesystem::path& dir, int64_t samples);

}  // namespace stride::cli
