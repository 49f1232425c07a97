#include "stride/pipeline/sample_batches.h"

#include <algorithm>

#include "stride/core/usage_error.h"
#include "stride/pipeline/gait_recordings.h"
#include "stride/pipeline/sensor_windows.h"

namespace stride::pipeline {

std::vector<TensorMap> sample_batches(const Graph& model, const std::filesystem::path& data, int64_t samples,
                                      int64_t batch) {
  if (samples < 1 || batch < 1) usage_fail("--samples and the batch must be at least 1");
  const ModelInput input = model_input_of(model);
  std::vector<Tensor> cut;
  if (input.kind == InputKind::imu) {
    const SensorWindows windows = load_sensor_windows(data, "train", input);
    const size_t count = std::min<size_t>(samples, windows.windows.size());
    for (size_t i = 0; i < count; ++i) cut.push_back(windows.windows[i * windows.windows.size() / count]);
  } else {
    const GaitRecordings recordings = GaitRecordings::open(data, input);
    const std::vector<size_t> train_rows = recordings.rows_of(recordings.split().train, false);
    if (train_rows.empty()) fail("{}: no training recordings to take samples from", data.string());
    const size_t count = std::min<size_t>(samples, train_rows.size());
    std::vector<size_t> rows;
    for (size_t i = 0; i < count; ++i) rows.push_back(train_rows[i * train_rows.size() / count]);
    for (const Tensor& m : recordings.load(rows, 0, {})) cut.push_back(cut_sample(m, input, nullptr));
  }
  if (cut.empty()) fail("{}: no training windows to take samples from", data.string());
  std::vector<TensorMap> batches;
  for (size_t first = 0; first < cut.size(); first += batch) {
    std::vector<const Tensor*> members;
    for (size_t i = first; i < std::min(cut.size(), first + static_cast<size_t>(batch)); ++i)
      members.push_back(&cut[i]);
    batches.push_back({{model.inputs.at(0).name, make_batch(members, input)}});
  }
  return batches;
}

}  // namespace stride::pipeline
