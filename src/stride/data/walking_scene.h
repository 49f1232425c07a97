#pragma once
// A camera video of several generated walkers crossing one textured scene, with its ground truth:
// who is where in every frame (a label image of subject ids), so that detection, tracking and
// segmentation are measured against it. The walkers are subjects of the synthetic gait datasets
// (the same bodies and gaits as `data synth --seed` gives them), seen from the side as CASIA-B's 90°
// view sees them, on lanes at different depths: nearer walkers hide farther ones when they cross,
// and a pillar in front of the walkway hides everyone who passes behind it.
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/data/camera.h"
#include "stride/data/subject.h"
#include "stride/data/walk_variation.h"

namespace stride::data {

struct SceneConfig {
  int people = 3;
  int width = 640, height = 480;
  double fps = 25.0;
  int frames = 300;
  // A side view wide enough for a walker to stay in view for about six seconds.
  double focal = 700.0, camera_distance = 8.0, camera_height = 1.1, target_height = 0.9;
  uint64_t subject_seed = 1;  // the synthetic dataset's seed whose subjects walk here
  // The subject ids that walk (people of them); empty: `people` ids drawn from 1..subject_pool.
  std::vector<int> subjects;
  int subject_pool = 124;
  bool pillar = true;
  double sensor_noise = 2.0;  // +- grey levels per pixel and frame
};

struct SceneWalker {
  int subject = 0;           // its id in the dataset, and its id in the ground truth
  double lane = 0;           // metres from the walkway's centre line, towards the camera when negative
  int direction = 1;         // +1: left to right in the image, -1: right to left
  double centre_time = 0;    // seconds from the first frame at which it passes the image's centre
  Subject body;
  WalkVariation walk;
};

struct SceneFrame {
  cv::Mat image;   // CV_8UC1
  cv::Mat labels;  // CV_16UC1: the subject id of the walker seen at each pixel, 0 for the scene
};

// Refuses (stride::Error naming the field) sizes and counts the scene cannot hold.
void check_scene_config(const SceneConfig& config);

class WalkingScene {
 public:
  // The walkers, lanes, directions and timing drawn from `seed`; bodies from config.subject_seed.
  WalkingScene(const SceneConfig& config, uint64_t seed);

  const SceneConfig& config() const { return config_; }
  const std::vector<SceneWalker>& walkers() const { return walkers_; }
  // Frame `index` (0-based): deterministic for (config, seed, index), in any order.
  SceneFrame render(int index) const;

 private:
  SceneConfig config_;
  uint64_t seed_;
  Camera camera_;
  cv::Mat background_;  // CV_32FC1, the pillar painted in
  cv::Rect pillar_;     // empty without one
  std::vector<SceneWalker> walkers_;
};

}  // namespace stride::data
