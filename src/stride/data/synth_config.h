#pragma once
// What the gait generator makes: the named presets and their parameters.
#include <string>
#include <string_view>
#include <vector>

#include "stride/data/condition.h"

namespace stride::data {

enum class DatasetLayout {
  casia_b,   // binary silhouettes, ID/COND-SEQ/VIEW/ID-COND-SEQ-VIEW-FRAME.png
  tum_gaid,  // textured grey frames, ID/COND-SEQ/FRAME.png
};

struct SequenceSpec {
  Condition condition;
  int number;  // 1-based, per condition
};

// Camera placement and image format. Views are azimuths around the walkway: 0 = the walker comes
// towards the camera, 90 = seen from the side, 180 = walks away.
struct Studio {
  int width = 320, height = 240;
  double fps = 25.0;
  double focal = 480.0;                                                    // pixels
  double camera_distance = 6.0, camera_height = 1.1, target_height = 0.9;  // metres
};

// Errors of a background-subtraction segmentation, applied to the rendered silhouettes.
struct SegmentationNoise {
  double edge_jitter = 1.0;          // pixels of smooth displacement of the outline
  double speckle = 0.025;            // chance that an outline pixel flips
  double holes_per_frame = 0.6;      // mean number of small holes punched into the body
  double dropout_chance = 0.04;      // per frame: a band of the body lost against the background
  double shadow_chance = 0.2;        // per recording: a floor shadow merged with the feet
  double blank_frame_chance = 0.15;  // per recording: one frame with nothing segmented
};

struct SynthConfig {
  std::string preset;
  DatasetLayout layout = DatasetLayout::casia_b;
  int subjects = 1;
  std::vector<SequenceSpec> sequences;
  std::vector<int> views;  // degrees, 0..180
  int frames = 30;         // per recording
  Studio studio;
  SegmentationNoise noise;    // silhouettes only
  double sensor_noise = 1.0;  // textured frames: +- grey levels of per-frame pixel noise
  int threads = 0;            // 0: one per hardware thread; never changes the output
};

// The presets: "tiny", "casia-b-mini", "casia-b", "tum-gaid-mini". Throws stride::Error on any
// other name, listing the valid ones.
SynthConfig synth_preset(std::string_view name);
std::vector<std::string> synth_preset_names();

// Refuses (stride::Error naming the field) a configuration the generator or the layout cannot
// represent, e.g. a view outside 0..180 or more than 999 subjects.
void check_config(const SynthConfig& config);

}  // namespace stride::data
