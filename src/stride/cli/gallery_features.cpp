#include "stride/cli/gallery_features.h"

#include <charconv>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/common_options.h"
#include "stride/cli/model_io.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/usage_error.h"
#include "stride/ir/float_interface.h"

namespace stride::cli {

void add_feature_options(CLI::App* cmd, FeatureOptions& options, std::string_view data_use) {
  cmd->add_option("--model", options.model, "ONNX model whose features are the templates (a trained one)")
      ->required()
      ->check(CLI::ExistingFile);
  add_data_option(cmd, options.data, data_use)->required();
  add_backend_option(cmd, options.backend, "the one computing the features");
  add_batch_option(cmd, options.batch, "the feature extraction's");
  add_threads_option(cmd, options.threads);
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

DatasetFeatures dataset_features(const FeatureModel& feature_model, const FeatureOptions& options,
                                 const pipeline::TestRecordings& recordings) {
  const Graph& model = feature_model.graph;
  DatasetFeatures out;
  pipeline::EvaluationOptions evaluation;
  evaluation.backend = resolve_backend(options.backend, model, options.batch, options.threads).name;
  evaluation.batch = options.batch;
  evaluation.threads = options.threads;
  const pipeline::RecordingFeatures features = pipeline::recording_features(model, recordings, evaluation);
  out.backend = evaluation.backend;
  out.samples = recordings.samples;
  const int64_t length = features.rows.numel() / features.rows.dim(0);
  const float* values = features.rows.data<float>();
  for (int64_t r = 0; r < features.rows.dim(0); ++r)
    out.features.emplace_back(values + r * length, values + (r + 1) * length);
  return out;
}

int dataset_subject(const std::string& id) {
  int subject = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), subject);
  if (error != std::errc() || end != id.data() + id.size() || subject < 0)
    usage_fail("--subject {}: a dataset subject is its number, like 3", id);
  return subject;
}

}  // namespace stride::cli
