#pragma once
// What a model takes as one sample, read from its metadata and input shape: silhouette clips
// (GaitSet) or optical-flow stacks (2D-CNN), or flow volumes (3D-CNN, 3Dto2D-CNN), or one gait energy
// image (resnet50-gei, l-resnet50-gei); or one window of body-worn sensor signals (the
// activity-recognition models).
#include <cstdint>
#include <span>
#include <string>

#include "stride/core/tensor.h"
#include "stride/ir/graph.h"

namespace stride::pipeline {

enum class InputKind { silhouettes, optical_flow, gait_energy, imu };

struct ModelInput {
  InputKind kind = InputKind::silhouettes;
  // silhouettes per clip, flow fields per stack, 1 for a gait energy image, or samples per sensor window
  int64_t frames = 0;
  int64_t height = 0;  // image rows, or sensor channels
  int64_t width = 0;   // image columns (1 for sensor windows)
  bool flow_volume = false;  // [2, T, H, W] per sample instead of the stacked [2T, H, W]
};

// Reads `stride.input_kind` and the first input's shape ([N, T, H, W] silhouettes; [N, 2T, H, W]
// or [N, 2, T, H, W] flow; [N, 1, H, W] for "gait_energy"; [N, C, T] sensor windows). Throws
// stride::Error when the model does not say what it takes or its input does not fit the kind.
ModelInput model_input_of(const Graph& graph);

// The value KNN compares: the model's `stride.feature_output` metadata, "feature" when absent.
std::string feature_output_of(const Graph& graph);

// Stacks per-sample tensors (silhouettes [T, H, W], flow stacks [2T, H, W], GEIs [1, H, W] or sensor
// windows [C, T]) into the model's batch, converting flow stacks to volumes when the model takes those.
Tensor make_batch(std::span<const Tensor* const> samples, const ModelInput& input);

}  // namespace stride::pipeline
