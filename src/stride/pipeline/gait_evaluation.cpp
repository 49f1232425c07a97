#include "stride/pipeline/gait_evaluation.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>

#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/eval/accuracy_report.h"
#include "stride/eval/identifier.h"
#include "stride/eval/softmax_classifier.h"
#include "stride/ir/float_interface.h"
#include "stride/ir/subgraph.h"
#include "stride/pipeline/batched_run.h"
#include "stride/pipeline/recording_features.h"

namespace stride::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Subject id of each softmax class, as `stride train` records it.
std::vector<int64_t> class_subjects(const Graph& model) {
  auto it = model.metadata.find("stride.class_subjects");
  if (it == model.metadata.end())
    fail(
        "model '{}' does not say which subject each softmax class is (no stride.class_subjects): train it with "
        "'stride train --train-on test-gallery' to use the softmax classifier",
        model.name);
  std::vector<int64_t> subjects;
  std::stringstream list(it->second);
  for (std::string id; std::getline(list, id, ',');) subjects.push_back(std::stoll(id));
  return subjects;
}

// Rows `first`.. of `rows` copied into a [batch, ...] tensor, the last row repeated as padding.
Tensor padded_rows(const Tensor& rows, size_t first, size_t count, int64_t batch) {
  Shape shape = rows.shape();
  shape[0] = batch;
  Tensor out(DType::f32, shape);
  const size_t row_bytes = rows.nbytes() / static_cast<size_t>(rows.dim(0));
  for (int64_t i = 0; i < batch; ++i)
    std::memcpy(out.raw() + i * row_bytes, rows.raw() + (first + std::min<size_t>(i, count - 1)) * row_bytes,
                row_bytes);
  return out;
}

// The predicted subject of every sample by the model's softmax head, run on the features.
std::vector<int64_t> softmax_predictions(const Graph& model, const Backend& backend, const EvaluationOptions& options,
                                         const std::string& feature, const Tensor& features,
                                         std::span<const eval::GaitSample> samples) {
  const std::vector<int64_t> subjects = class_subjects(model);
  const std::set<int64_t> known(subjects.begin(), subjects.end());
  for (const eval::GaitSample& s : samples)
    if (!known.count(s.subject))
      fail(
          "test subject {} is not one of the {} the model's softmax was trained on: a softmax classifier names only "
          "subjects it was trained on (train with --train-on test-gallery)",
          s.subject, subjects.size());
  Shape feature_shape = features.shape();
  feature_shape[0] = options.batch;
  const Graph head = graph_after(model, ValueInfo{feature, DType::f32, feature_shape});
  auto plan = backend.compile(head, {options.threads, {{feature, feature_shape}}});
  const BatchedOutput probabilities =
      run_in_batches(*plan, feature, "probabilities", options.batch, samples.size(),
                     [&](size_t first, size_t n) { return padded_rows(features, first, n, options.batch); });
  std::vector<int64_t> predicted = eval::top1_classes(eval::MatrixView(probabilities.rows, "probabilities"));
  for (int64_t& p : predicted) {
    if (p >= static_cast<int64_t>(subjects.size()))
      fail("the model predicted class {}, which it was not trained on", p);
    p = subjects[p];
  }
  return predicted;
}

}  // namespace

double Evaluation::mean_rank1() const {
  return std::visit([](const auto& r) { return r.mean; }, result);
}

int64_t Evaluation::probes() const {
  return std::visit([](const auto& r) { return eval::probe_count(r); }, result);
}

Split parse_split(const std::string& name) {
  if (name == "test") return Split::test;
  if (name == "validation") return Split::validation;
  if (name == "auto") return Split::automatic;
  usage_fail("--split {}: expected test, validation or auto", name);
}

const char* split_name(Split split) {
  switch (split) {
    case Split::test:
      return "test";
    case Split::validation:
      return "validation";
    case Split::automatic:
      break;
  }
  return "auto";
}

TestRecordings load_test_recordings(const Graph& model, const std::filesystem::path& data, int threads,
                                    const LoadProgress& progress, Split split) {
  TestRecordings test;
  test.input = model_input_of(model);
  const GaitRecordings recordings = GaitRecordings::open(data, test.input);
  test.layout = recordings.layout();
  const eval::SubjectSplit subjects = recordings.split();
  if (split == Split::automatic) split = subjects.validation.empty() ? Split::test : Split::validation;
  if (split == Split::validation && subjects.validation.empty())
    fail("{} has no validation subjects (CASIA-B's split has none): evaluate on the test split", data.string());
  test.split = split;
  test.rows = recordings.rows_of(split == Split::validation ? subjects.validation : subjects.test, false);
  for (size_t r : test.rows) test.samples.push_back(recordings.samples()[r]);
  test.material = recordings.load(test.rows, threads, progress);
  return test;
}

Evaluation evaluate_model(const Graph& model, const std::filesystem::path& data, const EvaluationOptions& options,
                          const LoadProgress& progress) {
  return evaluate_model(model, load_test_recordings(model, data, options.threads, progress, options.split), options);
}

Evaluation evaluate_model(const Graph& given, const TestRecordings& test, const EvaluationOptions& options) {
  const Graph model = with_float_interface(given);  // a full-int model reads and writes real values here
  const std::unique_ptr<Backend> backend = make_backend(options.backend);
  const RecordingFeatures features = recording_features(model, test, options);
  const std::vector<eval::GaitSample>& samples = test.samples;
  const std::string feature = feature_output_of(model);

  Evaluation evaluation;
  evaluation.layout = test.layout;
  evaluation.split = test.split;
  evaluation.test_recordings = test.rows.size();
  evaluation.model_samples = features.model_samples;
  evaluation.feature_seconds = features.plan_seconds;
  // KNN does its searches inside the protocol (one gallery per view), so its time is the
  // protocol's; the softmax head runs before it and the protocol only counts.
  const auto start = Clock::now();
  std::unique_ptr<eval::Identifier> identifier;
  const Tensor flat = features.rows.reshaped({features.rows.dim(0), features.rows.numel() / features.rows.dim(0)});
  if (options.classifier == Classifier::knn)
    identifier = std::make_unique<eval::KnnIdentifier>(eval::MatrixView(flat, "features"), samples, options.knn);
  else
    identifier = std::make_unique<eval::FixedPredictions>(
        softmax_predictions(model, *backend, options, feature, features.rows, samples));
  if (test.layout == data::DatasetLayout::casia_b)
    evaluation.result = eval::evaluate_casia_b(samples, *identifier);
  else
    evaluation.result = eval::evaluate_tum_gaid(samples, *identifier);
  evaluation.classifier_seconds = seconds_since(start);
  return evaluation;
}

}  // namespace stride::pipeline
