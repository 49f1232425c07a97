#pragma once
// A generated walking scene (data/walking_scene.h) written as a user's camera would give it — a
// video file — with its ground truth beside it: boxes and identities in MOTChallenge CSV, and one
// label image per frame, so that detection, tracking and segmentation are measured.
#include <cstdint>
#include <filesystem>
#include <functional>

#include "stride/data/walking_scene.h"

namespace stride::video {

struct SceneVideoFiles {
  std::filesystem::path video;  // .avi (Motion JPEG)
  std::filesystem::path truth;  // MOTChallenge CSV, ids = subject ids
  std::filesystem::path masks;  // folder of label images (absent or empty); empty: none written
};

// A walker counts in the ground truth of a frame where this many of its pixels are visible.
inline constexpr int kMinVisiblePixels = 200;

// Renders every frame of `scene` into the files. Each appears whole or not at all (written under a
// temporary name, renamed once complete). Returns the ground-truth rows written.
int64_t write_scene_video(const data::WalkingScene& scene, const SceneVideoFiles& files,
                          const std::function<void(int64_t done, int64_t total)>& progress = {});

}  // namespace stride::video
