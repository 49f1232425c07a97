#pragma once
// The recordings of a gait dataset folder (CASIA-B silhouettes or TUM-GAID grey frames) and the
// model samples cut from them: what training and evaluation share.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include "stride/core/random.h"
#include "stride/core/tensor.h"
#include "stride/data/casia_b.h"
#include "stride/data/synth_config.h"
#include "stride/data/tum_gaid.h"
#include "stride/eval/gait_sample.h"
#include "stride/eval/subject_split.h"
#include "stride/pipeline/model_input.h"

namespace stride::pipeline {

// Called with (recordings loaded, recordings to load).
using LoadProgress = std::function<void(size_t, size_t)>;

class GaitRecordings {
 public:
  // Indexes the dataset under `root`. Silhouette and gait-energy-image models need the CASIA-B
  // layout, flow models the TUM-GAID one (its grey frames); throws stride::Error naming the folder
  // otherwise.
  static GaitRecordings open(const std::filesystem::path& root, const ModelInput& input);

  data::DatasetLayout layout() const { return layout_; }
  size_t size() const { return samples_.size(); }
  const std::vector<eval::GaitSample>& samples() const { return samples_; }
  std::vector<int> subjects() const;  // ascending

  // The dataset's published subject split, scaled to its number of subjects.
  eval::SubjectSplit split() const;
  // Rows of the recordings of `subjects`; with `gallery_only`, only those in the protocol's gallery.
  std::vector<size_t> rows_of(std::span<const int> subjects, bool gallery_only) const;

  // Loads what samples are cut from, for each of `rows` (in that order), on `threads` threads:
  // all aligned silhouettes of a recording [F, H, W], its whole flow sequence [2(F-1), H, W]
  // (data::flow_sequence), or its gait energy image at the model's size [1, H, W]
  // (data::load_gait_energy_input).
  std::vector<Tensor> load(std::span<const size_t> rows, int threads, const LoadProgress& progress) const;

 private:
  Tensor load_one(size_t row) const;

  data::DatasetLayout layout_ = data::DatasetLayout::casia_b;
  ModelInput input_;
  std::vector<eval::GaitSample> samples_;
  std::vector<data::CasiaBSequence> casia_b_;    // parallel to samples_ for CASIA-B
  std::vector<data::TumGaidSequence> tum_gaid_;  // parallel to samples_ for TUM-GAID
};

// One model sample from a recording's loaded material. Silhouettes: `frames` of its frames, the
// first ones in order (cycling) without `random`, else a random set (without repetition when the
// recording is long enough), as GaitSet trains. Flow: `frames` consecutive fields from field
// `flow_start` without `random`, else from a random field (so training sees every phase of the walk)
// and moved by a few random pixels (so that it does not rely on the walker's exact place in the crop).
// A gait energy image: the recording's one GEI, as loaded.
Tensor cut_sample(const Tensor& material, const ModelInput& input, Random* random, int flow_start = 0);

// How many flow windows of `input.frames` fields fit in a flow sequence of `fields` fields (at least one).
int flow_windows_in(int64_t fields, const ModelInput& input);

}  // namespace stride::pipeline
