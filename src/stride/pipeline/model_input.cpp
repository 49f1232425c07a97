#include "stride/pipeline/model_input.h"

#include <cstring>

#include "stride/core/error.h"

namespace stride::pipeline {

ModelInput model_input_of(const Graph& graph) {
  auto kind = graph.metadata.find("stride.input_kind");
  if (kind == graph.metadata.end())
    fail(
        "model '{}' does not say what input it takes (no stride.input_kind metadata): build it with "
        "'stride zoo build'",
        graph.name);
  if (graph.inputs.empty()) fail("model '{}' has no input", graph.name);
  const Shape& shape = graph.inputs.front().shape;
  ModelInput input;
  if (kind->second == "silhouettes") {
    if (shape.size() != 4)
      fail("model '{}': a silhouette model takes [N, T, H, W], got rank {}", graph.name, shape.size());
    input = {InputKind::silhouettes, shape[1], shape[2], shape[3], false};
  } else if (kind->second == "optical_flow") {
    if (shape.size() == 4 && shape[1] > 0 && shape[1] % 2 == 0)
      input = {InputKind::optical_flow, shape[1] / 2, shape[2], shape[3], false};
    else if (shape.size() == 5 && shape[1] == 2)
      input = {InputKind::optical_flow, shape[2], shape[3], shape[4], true};
    else
      fail("model '{}': an optical-flow model takes [N, 2T, H, W] or [N, 2, T, H, W]", graph.name);
  } else if (kind->second == "gait_energy") {
    if (shape.size() != 4 || shape[1] != 1)
      fail("model '{}': a gait-energy-image model takes [N, 1, H, W], got {}", graph.name, shape_str(shape));
    input = {InputKind::gait_energy, 1, shape[2], shape[3], false};
  } else if (kind->second == "imu") {
    if (shape.size() != 3) fail("model '{}': a sensor model takes [N, C, T], got rank {}", graph.name, shape.size());
    input = {InputKind::imu, shape[2], shape[1], 1, false};
  } else {
    fail("model '{}': unknown input kind '{}' (expected silhouettes, optical_flow, gait_energy or imu)", graph.name,
         kind->second);
  }
  if (input.frames <= 0 || input.height <= 0 || input.width <= 0)
    fail("model '{}': the input's frames, height and width must be fixed", graph.name);
  return input;
}

std::string feature_output_of(const Graph& graph) {
  auto it = graph.metadata.find("stride.feature_output");
  return it != graph.metadata.end() ? it->second : "feature";
}

namespace {

// [2T, H, W] with x and y interleaved per frame → [2, T, H, W] (component-major).
void write_flow_volume(const float* stack, float* volume, int64_t frames, int64_t plane) {
  for (int64_t t = 0; t < frames; ++t)
    for (int64_t c = 0; c < 2; ++c)
      std::memcpy(volume + (c * frames + t) * plane, stack + (2 * t + c) * plane, plane * sizeof(float));
}

// Windows [C, T] → [N, C, T].
Tensor stack_sensor_windows(std::span<const Tensor* const> samples, const ModelInput& input, int64_t n) {
  const Shape one{input.height, input.frames};
  Tensor batch(DType::f32, {n, input.height, input.frames});
  const int64_t size = input.height * input.frames;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Tensor& s = *samples[i];
    if (s.dtype() != DType::f32 || s.shape() != one)
      fail("sample {} has shape {}, the model takes {}", i, shape_str(s.shape()), shape_str(one));
    std::memcpy(batch.data<float>() + static_cast<int64_t>(i) * size, s.data<float>(), size * sizeof(float));
  }
  return batch;
}

}  // namespace

Tensor make_batch(std::span<const Tensor* const> samples, const ModelInput& input) {
  const auto n = static_cast<int64_t>(samples.size());
  if (input.kind == InputKind::imu) return stack_sensor_windows(samples, input, n);
  const int64_t channels = input.kind == InputKind::optical_flow ? 2 * input.frames : input.frames;
  const Shape one{channels, input.height, input.width};
  Shape batch_shape = input.flow_volume ? Shape{n, 2, input.frames, input.height, input.width}
                                        : Shape{n, channels, input.height, input.width};
  Tensor batch(DType::f32, batch_shape);
  const int64_t plane = input.height * input.width, size = channels * plane;
  float* out = batch.data<float>();
  for (size_t i = 0; i < samples.size(); ++i) {
    const Tensor& s = *samples[i];
    if (s.dtype() != DType::f32 || s.shape() != one)
      fail("sample {} has shape {}, the model takes {}", i, shape_str(s.shape()), shape_str(one));
    if (input.flow_volume)
      write_flow_volume(s.data<float>(), out + i * size, input.frames, plane);
    else
      std::memcpy(out + i * size, s.data<float>(), size * sizeof(float));
  }
  return batch;
}

}  // namespace stride::pipeline
