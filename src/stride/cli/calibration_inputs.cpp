#include "stride/cli/calibration_inputs.h"

#include <algorithm>
#include <cstring>

#include "stride/core/usage_error.h"
#include "stride/io/npy.h"
#include "stride/pipeline/sample_batches.h"
#include "stride/quant/calibration_checks.h"

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> npy_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".npy") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// A file holds one input with or without its batch dimension (then batch 1); unknown (-1) dims of
// the declared shape match any size.
Tensor as_model_input(Tensor t, const ValueInfo& input, const fs::path& file) {
  auto matches = [&](const Shape& shape) {
    if (shape.size() != input.shape.size()) return false;
    for (size_t d = 0; d < shape.size(); ++d)
      if (input.shape[d] >= 0 && input.shape[d] != shape[d]) return false;
    return true;
  };
  if (!matches(t.shape())) {
    Shape batched = t.shape();
    batched.insert(batched.begin(), 1);
    if (!matches(batched))
      fail("{}: shape {} does not fit the model's input '{}' of shape {}", file.string(), shape_str(t.shape()),
           input.name, shape_str(input.shape));
    t = t.reshaped(batched);
  }
  quant::check_calibration_input(t, input, file.string());
  return t;
}

CalibrationInputs from_npy(const Graph& model, const std::vector<fs::path>& files, int64_t samples) {
  if (model.inputs.size() != 1)
    fail("a folder of .npy calibration inputs fits single-input models only; this model has {} inputs",
         model.inputs.size());
  const ValueInfo& input = model.inputs.front();
  CalibrationInputs result;
  std::vector<Tensor> pending;
  // Files of one shape batch together; a batch is flushed when the shape changes or it is full.
  auto flush = [&] {
    if (pending.empty()) return;
    Shape shape = pending.front().shape();
    int64_t rows = 0;
    for (const Tensor& t : pending) rows += t.dim(0);
    shape[0] = rows;
    Tensor batch(input.dtype, shape);
    size_t offset = 0;
    for (const Tensor& t : pending) {
      if (t.nbytes() > 0) std::memcpy(batch.raw() + offset, t.raw(), t.nbytes());  // a batch of 0 has no data
      offset += t.nbytes();
    }
    result.batches.push_back({{input.name, std::move(batch)}});
    pending.clear();
  };
  for (const fs::path& file : files) {
    if (result.samples >= samples) break;
    Tensor t = as_model_input(read_npy(file), input, file);
    const bool same_shape =
        pending.empty() || Shape(t.shape().begin() + 1, t.shape().end()) ==
                               Shape(pending.front().shape().begin() + 1, pending.front().shape().end());
    if (!same_shape || static_cast<int64_t>(pending.size()) == kCalibrationBatch) flush();
    result.samples += t.dim(0);
    pending.push_back(std::move(t));
  }
  flush();
  return result;
}

}  // namespace

CalibrationInputs read_calibration_inputs(const Graph& model, const fs::path& dir, int64_t samples) {
  if (samples < 1) usage_fail("--samples must be at least 1");
  if (fs::is_empty(dir))
    fail("calibration folder {} is empty (expected a Stride dataset or .npy inputs)", dir.string());
  const std::vector<fs::path> files = npy_files(dir);
  if (!files.empty()) return from_npy(model, files, samples);
  CalibrationInputs result;
  result.from_dataset = true;
  result.batches = pipeline::sample_batches(model, dir, samples, kCalibrationBatch);
  for (const TensorMap& batch : result.batches) result.samples += batch.begin()->second.dim(0);
  return result;
}

}  // namespace stride::cli
