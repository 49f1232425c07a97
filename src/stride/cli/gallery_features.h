#pragma once
// What the gallery commands (enroll, calibrate, identify) share: the model's feature of each
// recording of a dataset, on the engine --backend names, as `stride eval` computes it, and the
// options that choose how.
#include <CLI/CLI.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "stride/eval/gait_sample.h"
#include "stride/gallery/model_identity.h"
#include "stride/ir/graph.h"
#include "stride/pipeline/recording_features.h"
#include "stride/video/track_video.h"
#include "stride/video/track_windows.h"

namespace stride::cli {

struct FeatureOptions {
  std::string model;  // ONNX file
  std::string data;   // dataset folder
  std::string backend;
  int64_t batch = 8;
  int threads = 0;
};
// --model, --data, --backend, --batch, --threads; returns --data, which the caller makes required
// unless the command takes a video instead (video_source_options).
CLI::Option* add_feature_options(CLI::App* cmd, FeatureOptions& options, std::string_view data_use);

// The model, with the identity a gallery binds its templates to (checked before any work).
struct FeatureModel {
  Graph graph;  // with a float interface, as `stride eval` runs it
  gallery::ModelIdentity identity;
};
FeatureModel load_feature_model(const std::string& path);

struct DatasetFeatures {
  std::string backend;  // the engine that ran
  std::vector<eval::GaitSample> samples;
  std::vector<std::vector<float>> features;  // one per sample
};

// `part` of the recordings of the subjects `wanted` accepts, loaded for the model.
pipeline::TestRecordings load_dataset_recordings(const FeatureModel& model, const FeatureOptions& options,
                                                 const std::function<bool(int subject)>& wanted,
                                                 pipeline::ProtocolPart part);
// Their features, on the engine options.backend resolves to.
DatasetFeatures dataset_features(const FeatureModel& model, const FeatureOptions& options,
                                 const pipeline::TestRecordings& recordings);

// The walkers of a video, tracked (stride video track's defaults), their walks cut into windows of
// the model's clip and each window's feature, on the engine options.backend resolves to.
struct VideoFeatures {
  std::string backend;
  video::TrackedVideo tracked;
  std::vector<video::TrackWindow> windows;
  std::vector<std::vector<float>> features;  // one per window
};
VideoFeatures video_features(const FeatureModel& model, const FeatureOptions& options, const std::string& video);

// --subject ID as a dataset subject: its number. Throws stride::UsageError for anything else.
int dataset_subject(const std::string& id);
// A list of dataset subjects, like "29-32,35"; empty for "". Throws stride::UsageError for anything else.
std::set<int> dataset_subjects(const std::string& list);

}  // namespace stride::cli
