#include "stride/cli/gallery_features.h"

#include <algorithm>
#include <charconv>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/common_options.h"
#include "stride/cli/model_io.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/usage_error.h"
#include "stride/ir/float_interface.h"
#include "stride/pipeline/model_input.h"
#include "stride/video/walk_identification.h"

namespace stride::cli {

CLI::Option* add_feature_options(CLI::App* cmd, FeatureOptions& options, std::string_view data_use) {
  cmd->add_option("--model", options.model, "ONNX model whose features are the templates (a trained one)")
      ->required()
      ->check(CLI::ExistingFile);
  CLI::Option* data = add_data_option(cmd, options.data, data_use);
  add_backend_option(cmd, options.backend, "the one computing the features");
  add_batch_option(cmd, options.batch, "the feature extraction's");
  add_threads_option(cmd, options.threads);
  return data;
}

FeatureModel load_feature_model(const std::string& path) {
  // A full-integer model reads and writes real values here, as in `stride eval`.
  Graph graph = with_float_interface(load_model(path));
  gallery::ModelIdentity identity = gallery::model_identity(path, graph.name);
  return {std::move(graph), std::move(identity)};
}

pipeline::TestRecordings load_dataset_recordings(const FeatureModel& model, const FeatureOptions& options,
                                                 const std::function<bool(int subject)>& wanted,
                                                 pipeline::ProtocolPart part) {
  ProgressBar loading("loading recordings");
  return pipeline::load_recordings(model.graph, options.data, wanted, part, options.threads,
                                   [&](size_t d, size_t t) { loading.update(d, t); });
}

namespace {

// How the features are computed: on the engine --backend resolves to, at --batch, with --threads.
pipeline::EvaluationOptions evaluation_options(const Graph& model, const FeatureOptions& options) {
  pipeline::EvaluationOptions evaluation;
  evaluation.backend = resolve_backend(options.backend, model, options.batch, options.threads).name;
  evaluation.batch = options.batch;
  evaluation.threads = options.threads;
  return evaluation;
}

}  // namespace

DatasetFeatures dataset_features(const FeatureModel& feature_model, const FeatureOptions& options,
                                 const pipeline::TestRecordings& recordings) {
  const Graph& model = feature_model.graph;
  DatasetFeatures out;
  const pipeline::EvaluationOptions evaluation = evaluation_options(model, options);
  const pipeline::RecordingFeatures features = pipeline::recording_features(model, recordings, evaluation);
  out.backend = evaluation.backend;
  out.samples = recordings.samples;
  const int64_t length = features.rows.numel() / features.rows.dim(0);
  const float* values = features.rows.data<float>();
  for (int64_t r = 0; r < features.rows.dim(0); ++r)
    out.features.emplace_back(values + r * length, values + (r + 1) * length);
  return out;
}

VideoFeatures video_features(const FeatureModel& model, const FeatureOptions& options, const std::string& video) {
  VideoFeatures out;
  video::TrackVideoOptions tracking;
  tracking.keep_walks = true;
  ProgressBar bar("tracking " + video);
  out.tracked = video::track_video(video, tracking, [&](int64_t read, int64_t declared) {
    bar.update(static_cast<size_t>(read), static_cast<size_t>(std::max(read, declared)));
  });
  out.windows = video::track_windows(out.tracked.walks, pipeline::model_input_of(model.graph).frames);
  const pipeline::EvaluationOptions evaluation = evaluation_options(model.graph, options);
  out.backend = evaluation.backend;
  out.features = video::window_features(model.graph, out.windows, evaluation);
  return out;
}

int dataset_subject(const std::string& id) {
  int subject = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), subject);
  if (error != std::errc() || end != id.data() + id.size() || subject < 0)
    usage_fail("--subject {}: a dataset subject is its number, like 3", id);
  return subject;
}

std::set<int> dataset_subjects(const std::string& list) {
  std::set<int> subjects;
  size_t start = 0;
  while (start < list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, comma - start);
    const size_t dash = item.find('-');
    if (dash == std::string::npos) {
      subjects.insert(dataset_subject(item));
    } else {
      const int from = dataset_subject(item.substr(0, dash)), to = dataset_subject(item.substr(dash + 1));
      if (to < from) usage_fail("--subjects {}: the range {} runs backwards", list, item);
      for (int s = from; s <= to; ++s) subjects.insert(s);
    }
    start = comma + 1;
  }
  return subjects;
}

}  // namespace stride::cli
