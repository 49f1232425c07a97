#pragma once
// One recording of the synthetic dataset: a subject walking under one condition, seen by one
// camera, rendered frame by frame.
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/data/camera.h"
#include "stride/data/condition.h"
#include "stride/data/synth_config.h"

namespace stride::data {

struct RecordingId {
  int subject;  // 1-based
  Condition condition;
  int sequence;  // 1-based
  int view;      // degrees
};

// The camera of `id`: on a circle around the walkway at the view's azimuth, with a little
// per-recording jitter of position and focal length.
Camera recording_camera(const Studio& studio, uint64_t seed, const RecordingId& id);

// `config.frames` binary silhouettes (CV_8UC1, 0/255) with segmentation noise.
std::vector<cv::Mat> render_silhouettes(const SynthConfig& config, uint64_t seed, const RecordingId& id);

// `config.frames` textured grey frames (CV_8UC1).
std::vector<cv::Mat> render_grey_frames(const SynthConfig& config, uint64_t seed, const RecordingId& id);

}  // namespace stride::data
