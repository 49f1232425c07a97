#include "stride/eval/identifier.h"

#include <algorithm>

namespace stride::eval {

KnnIdentifier::KnnIdentifier(MatrixView features, std::span<const GaitSample> samples, KnnOptions options)
    : features_(features), options_(options) {
  if (features.rows() != static_cast<int64_t>(samples.size()))
    fail("there are {} feature rows for {} samples: expected one row per sample", features.rows(), samples.size());
  subjects_.reserve(samples.size());
  for (const GaitSample& s : samples) subjects_.push_back(s.subject);
}

std::vector<int64_t> KnnIdentifier::identify(std::span<const size_t> probe_rows, std::span<const size_t> gallery_rows) {
  if (!classifier_ || !std::ranges::equal(gallery_rows, gallery_rows_)) {
    classifier_.reset();  // the old gallery is released before the new one is gathered
    const Matrix gallery = gather_rows(features_, gallery_rows);
    std::vector<int64_t> labels;
    labels.reserve(gallery_rows.size());
    for (const size_t row : gallery_rows) labels.push_back(subjects_[row]);
    classifier_.emplace(gallery.view("KNN gallery"), std::move(labels), options_);
    gallery_rows_.assign(gallery_rows.begin(), gallery_rows.end());
  }
  const Matrix probes = gather_rows(features_, probe_rows);
  return classifier_->predict(probes.view("KNN probes"));
}

std::vector<int64_t> FixedPredictions::identify(std::span<const size_t> probe_rows, std::span<const size_t>) {
  std::vector<int64_t> out;
  out.reserve(probe_rows.size());
  for (const size_t row : probe_rows) {
    if (row >= predicted_.size()) fail("sample {} has no prediction: only {} were given", row, predicted_.size());
    out.push_back(predicted_[row]);
  }
  return out;
}

}  // namespace stride::eval
