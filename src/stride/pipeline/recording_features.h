#pragma once
// One feature vector per gait recording, from the model's feature output on any backend: what the
// identification protocols compare, and what a gallery enrolls and searches with.
#include <cstdint>
#include <filesystem>
#include <functional>

#include "stride/core/tensor.h"
#include "stride/ir/graph.h"
#include "stride/pipeline/gait_evaluation.h"

namespace stride::pipeline {

struct RecordingFeatures {
  Tensor rows;               // f32 [recordings, ...]: the feature output of each recording, in their order
  size_t model_samples = 0;  // samples the model ran on: flow windows, or one set per recording
  double plan_seconds = 0;   // inside the backend's plan
};

// Features of `recordings` on options.backend at options.batch (flow models: the mean of
// options.flow_windows windows per recording); options.feature_runs wraps every timed run.
RecordingFeatures recording_features(const Graph& model, const TestRecordings& recordings,
                                     const EvaluationOptions& options);

// Which recordings of a subject: those of the protocol's gallery (CASIA-B NM#1-4, TUM-GAID N1-N4),
// the others (the probe sets), or all.
enum class ProtocolPart { gallery, probes, all };

// The recordings under `data` of the subjects `wanted` accepts, `part` of each, loaded for `model`.
// Throws stride::Error naming the dataset when none is left.
TestRecordings load_recordings(const Graph& model, const std::filesystem::path& data,
                               const std::function<bool(int subject)>& wanted, ProtocolPart part, int threads,
                               const LoadProgress& progress = {});

}  // namespace stride::pipeline
