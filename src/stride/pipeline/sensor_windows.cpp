#include "stride/pipeline/sensor_windows.h"

#include <cstring>

#include "stride/core/error.h"
#include "stride/data/uci_har.h"

namespace stride::pipeline {

SensorWindows load_sensor_windows(const std::filesystem::path& root, std::string_view split, const ModelInput& input) {
  if (input.kind != InputKind::imu)
    fail("{}: a dataset of sensor windows (UCI HAR layout) is for activity models (har-*), not image models",
         root.string());
  data::HarWindows loaded = data::load_uci_har(root, split);
  const Shape& shape = loaded.signals.shape();
  if (shape.at(1) != input.height || shape.at(2) != input.frames)
    fail("{}: windows of {} channels × {} samples, the model takes {} × {}", root.string(), shape[1], shape[2],
         input.height, input.frames);
  SensorWindows out{{}, std::move(loaded.labels), std::move(loaded.subjects), std::move(loaded.activity_names)};
  const int64_t size = shape[1] * shape[2];
  for (int64_t n = 0; n < shape[0]; ++n) {
    Tensor window(DType::f32, {shape[1], shape[2]});
    std::memcpy(window.data<float>(), loaded.signals.data<float>() + n * size, size * sizeof(float));
    out.windows.push_back(std::move(window));
  }
  return out;
}

}  // namespace stride::pipeline
