#pragma once
// The windows of a UCI HAR-layout dataset (data/uci_har.h) as samples of an activity-recognition
// model: what training, calibration and evaluation share.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/pipeline/model_input.h"

namespace stride::pipeline {

struct SensorWindows {
  std::vector<Tensor> windows;  // [C, T] each
  std::vector<int> labels;      // activity index of each window
  std::vector<int> subjects;    // subject of each window
  std::vector<std::string> activity_names;
};

// Split `split` ("train" or "test") of the dataset under `root`. Throws stride::Error when the model
// takes no sensor windows, or windows of another channel count or length than the dataset's.
SensorWindows load_sensor_windows(const std::filesystem::path& root, std::string_view split, const ModelInput& input);

}  // namespace stride::pipeline
