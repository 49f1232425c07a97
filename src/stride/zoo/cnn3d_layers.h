#pragma once
// The convolutions of the paper's 3D-CNN, shared by cnn3d and by cnn3dto2d,
// which factors each of them into a spatial and a temporal 2-D convolution.
#include <array>
#include <cstdint>

namespace stride::zoo {

struct Conv3dLayer {
  const char* name;
  int64_t filters;
  std::array<int64_t, 3> kernel;  // t, h, w
  std::array<int64_t, 3> stride;  // t, h, w
  bool relu;
};

inline constexpr std::array<Conv3dLayer, 7> kCnn3dLayers = {{
    {"conv1", 64, {3, 5, 5}, {1, 2, 2}, true},
    {"conv2", 128, {3, 3, 3}, {1, 2, 2}, true},
    {"conv3", 256, {3, 3, 3}, {2, 2, 2}, true},
    {"conv4", 512, {3, 3, 3}, {2, 2, 2}, true},
    {"conv5", 512, {3, 2, 2}, {1, 1, 1}, true},
    {"conv6", 512, {2, 1, 1}, {1, 1, 1}, true},
    // The "code": a linear 1×1×1 convolution whose flattened output is the feature.
    {"conv7", 1024, {1, 1, 1}, {1, 1, 1}, false},
}};

// Optical flow enters the 3-D models channels first: [N, 2 (x, y flow), T, H, W].
inline constexpr int64_t kFlowComponents = 2;

}  // namespace stride::zoo
