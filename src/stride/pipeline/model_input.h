#pragma once
// What a gait model takes as one sample, read from its metadata and input shape: silhouette
// clips (GaitSet) or optical-flow stacks (2D-CNN), or flow volumes (3D-CNN, 3Dto2D-CNN), or one gait
// energy image (resnet50-gei, l-resnet50-gei).
#include <cstdint>
#include <span>
#include <string>

#include "stride/core/tensor.h"
#include "stride/ir/graph.h"

namespace stride::pipeline {

enum class InputKind { silhouettes, optical_flow, gait_energy };

struct ModelInput {
  InputKind kind = InputKind::silhouettes;
  int64_t frames = 0;  // silhouettes per clip, or flow fields per stack; 1 for a gait energy image
  int64_t height = 0;
  int64_t width = 0;
  bool flow_volume = false;  // [2, T, H, W] per sample instead of the stacked [2T, H, W]
};

// Reads `stride.input_kind` and the first input's shape ([N, T, H, W] silhouettes; [N, 2T, H, W]
// or [N, 2, T, H, W] flow; [N, 1, H, W] for "gait_energy"). Throws stride::Error when the model does
// not say what it takes or its input does not fit the kind.
ModelInput model_input_of(const Graph& graph);

// The value KNN compares: the model's `stride.feature_output` metadata, "feature" when absent.
std::string feature_output_of(const Graph& graph);

// Stacks per-sample tensors (silhouettes [T, H, W], flow stacks [2T, H, W] or GEIs [1, H, W]) into
// the model's batch, converting flow stacks to volumes when the model takes those.
Tensor make_batch(std::span<const Tensor* const> samples, const ModelInput& input);

}  // namespace stride::pipeline
