#pragma once
// How a protocol decides who a probe is. The protocols restrict the gallery (CASIA-B to one view
// at a time), so an identifier is asked for probes and the gallery rows they may match together.
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "stride/eval/gait_sample.h"
#include "stride/eval/knn_classifier.h"

namespace stride::eval {

class Identifier {
 public:
  virtual ~Identifier() = default;
  // The number of samples (rows) it can identify.
  virtual int64_t rows() const = 0;
  // The predicted subject of each probe row when only `gallery_rows` form the gallery.
  virtual std::vector<int64_t> identify(std::span<const size_t> probe_rows, std::span<const size_t> gallery_rows) = 0;
};

// KNN over one feature row per sample. The classifier of a gallery is kept until a call asks for
// other gallery rows, so a protocol that visits each gallery in turn builds each once.
class KnnIdentifier : public Identifier {
 public:
  // Borrows `features`; throws stride::Error when its row count differs from the sample count.
  KnnIdentifier(MatrixView features, std::span<const GaitSample> samples, KnnOptions options);

  int64_t rows() const override { return features_.rows(); }
  std::vector<int64_t> identify(std::span<const size_t> probe_rows, std::span<const size_t> gallery_rows) override;

 private:
  MatrixView features_;
  std::vector<int64_t> subjects_;
  KnnOptions options_;
  std::vector<size_t> gallery_rows_;
  std::optional<KnnClassifier> classifier_;
};

// A classifier that has already named every sample, such as the softmax head (top1_classes
// mapped to subject ids): the gallery plays no part.
class FixedPredictions : public Identifier {
 public:
  explicit FixedPredictions(std::vector<int64_t> predicted_subjects) : predicted_(std::move(predicted_subjects)) {}

  int64_t rows() const override { return static_cast<int64_t>(predicted_.size()); }
  std::vector<int64_t> identify(std::span<const size_t> probe_rows, std::span<const size_t> gallery_rows) override;

 private:
  std::vector<int64_t> predicted_;
};

}  // namespace stride::eval
