#include "stride/pipeline/recording_features.h"

#include <algorithm>
#include <memory>

#include "stride/core/error.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/make_backend.h"
#include "stride/eval/gait_protocol.h"
#include "stride/ir/subgraph.h"
#include "stride/pipeline/batched_run.h"

namespace stride::pipeline {
namespace {

// A model sample to cut: which loaded recording, and (flow) from which field.
struct SampleCut {
  size_t recording = 0;
  int flow_start = 0;
};

std::vector<SampleCut> sample_cuts(std::span<const Tensor> material, const ModelInput& input, int flow_windows) {
  if (flow_windows < 1) fail("flow windows per recording must be at least 1, got {}", flow_windows);
  std::vector<SampleCut> cuts;
  for (size_t r = 0; r < material.size(); ++r) {
    if (input.kind != InputKind::optical_flow) {
      cuts.push_back({r, 0});
      continue;
    }
    const int available = flow_windows_in(material[r].dim(0) / 2, input);
    const int windows = std::min(flow_windows, available);
    for (int w = 0; w < windows; ++w) cuts.push_back({r, windows == 1 ? 0 : w * (available - 1) / (windows - 1)});
  }
  return cuts;
}

}  // namespace

RecordingFeatures recording_features(const Graph& model, const TestRecordings& recordings,
                                     const EvaluationOptions& options) {
  const ModelInput& input = recordings.input;
  const auto& material = recordings.material;
  const std::unique_ptr<Backend> backend = make_backend(options.backend);
  const std::string feature = feature_output_of(model);
  const Graph extractor = prune_to_outputs(model, {feature});
  check_backend_supports(*backend, extractor);
  auto plan = backend->compile(extractor, {options.threads, input_shapes_at_batch(extractor, options.batch)});
  const std::vector<SampleCut> cuts = sample_cuts(material, input, options.flow_windows);
  const BatchedOutput sample_features = run_in_batches(
      *plan, extractor.inputs.front().name, feature, options.batch, cuts.size(),
      [&](size_t first, size_t n) {
        std::vector<Tensor> cut;
        for (size_t i = first; i < first + n; ++i)
          cut.push_back(cut_sample(material[cuts[i].recording], input, nullptr, cuts[i].flow_start));
        std::vector<const Tensor*> batch;
        for (int64_t i = 0; i < options.batch; ++i) batch.push_back(&cut[std::min<size_t>(i, n - 1)]);
        return make_batch(batch, input);
      },
      options.feature_runs);
  std::vector<size_t> recording_of_sample;
  for (const SampleCut& c : cuts) recording_of_sample.push_back(c.recording);
  return {mean_rows_per_group(sample_features.rows, recording_of_sample, material.size()), cuts.size(),
          sample_features.plan_seconds};
}

TestRecordings load_recordings(const Graph& model, const std::filesystem::path& data,
                               const std::function<bool(int subject)>& wanted, ProtocolPart part, int threads,
                               const LoadProgress& progress) {
  TestRecordings loaded;
  loaded.input = model_input_of(model);
  const GaitRecordings recordings = GaitRecordings::open(data, loaded.input);
  loaded.layout = recordings.layout();
  const eval::GaitProtocol& protocol =
      loaded.layout == data::DatasetLayout::casia_b ? eval::casia_b_protocol() : eval::tum_gaid_protocol();
  for (size_t r = 0; r < recordings.size(); ++r) {
    const eval::GaitSample& sample = recordings.samples()[r];
    const bool in_gallery = protocol.gallery.contains(sample);
    if (!wanted(sample.subject) || (part == ProtocolPart::gallery && !in_gallery) ||
        (part == ProtocolPart::probes && in_gallery))
      continue;
    loaded.rows.push_back(r);
    loaded.samples.push_back(sample);
  }
  if (loaded.rows.empty()) fail("{}: none of the dataset's recordings is of the subjects asked for", data.string());
  loaded.material = recordings.load(loaded.rows, threads, progress);
  return loaded;
}

}  // namespace stride::pipeline
