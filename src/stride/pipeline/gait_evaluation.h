#pragma once
// A model's identification accuracy under its dataset's test protocol (CASIA-B or TUM-GAID):
// features of the test subjects' recordings from any backend, then KNN over the features or the
// model's own softmax head, with feature-extraction and classifier times apart (the paper's
// Table 3 split).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <variant>

#include "stride/eval/casia_b_evaluation.h"
#include "stride/eval/knn_classifier.h"
#include "stride/eval/tum_gaid_evaluation.h"
#include "stride/ir/graph.h"
#include "stride/pipeline/batched_run.h"
#include "stride/pipeline/gait_recordings.h"

namespace stride::pipeline {

enum class Classifier { knn, softmax };

// Whose recordings are evaluated: the test subjects (the protocol's numbers), or the validation
// subjects, to tune a choice (a pruning schedule, a calibrator) without looking at the test set.
// `automatic`: validation where the dataset's split has it (TUM-GAID), else test (CASIA-B has none).
enum class Split { test, validation, automatic };
Split parse_split(const std::string& name);  // "test", "validation", "auto"
const char* split_name(Split split);

struct EvaluationOptions {
  Classifier classifier = Classifier::knn;
  eval::KnnOptions knn;
  std::string backend = "onednn";
  int64_t batch = 8;
  int threads = 0;  // 0: all cores
  // Flow models: a recording's feature is the mean of the features of this many windows spread
  // evenly over it (fewer when the recording is short), as a sequence is judged by all its
  // subsequences; 1 takes the first window only. Silhouette models see the whole set at once, GEI
  // models their one image.
  int flow_windows = 4;
  Split split = Split::test;
  // Around every feature-extraction run (the time feature_seconds counts): an energy meter's window.
  TimedRunHooks feature_runs;
};

struct Evaluation {
  data::DatasetLayout layout = data::DatasetLayout::casia_b;
  Split split = Split::test;  // the subjects evaluated (never automatic)
  std::variant<eval::CasiaBResult, eval::TumGaidResult> result;
  size_t test_recordings = 0;
  size_t model_samples = 0;       // samples the model ran on: flow windows, or one set per recording
  double feature_seconds = 0;     // inside the backend's plan, whole test set
  double classifier_seconds = 0;  // KNN searches over every gallery, or the softmax head
  double mean_rank1() const;      // the protocol's overall mean, %
  int64_t probes() const;         // the probe recordings behind it
};

// Evaluates `model` on the test (or validation, options.split) subjects of the dataset under `data`
// (the dataset's split, see GaitRecordings::split). The softmax classifier needs a model trained by `stride train` on the
// test subjects' galleries (its stride.class_subjects metadata); throws stride::Error otherwise,
// and on anything the protocol or the backend refuses.
Evaluation evaluate_model(const Graph& model, const std::filesystem::path& data, const EvaluationOptions& options,
                          const LoadProgress& progress = {});

// The test subjects' recordings, loaded once so that several models with the same input (a model
// and its quantized versions) are evaluated without loading them again.
struct TestRecordings {
  ModelInput input;
  data::DatasetLayout layout = data::DatasetLayout::casia_b;
  Split split = Split::test;
  std::vector<size_t> rows;
  std::vector<eval::GaitSample> samples;
  std::vector<Tensor> material;
};
// Throws stride::Error when `split` is validation and the dataset has no validation subjects.
TestRecordings load_test_recordings(const Graph& model, const std::filesystem::path& data, int threads,
                                   const LoadProgress& progress = {}, Split split = Split::test);
// evaluate_model on recordings already loaded (for a model with the same input as theirs).
Evaluation evaluate_model(const Graph& model, const TestRecordings& test, const EvaluationOptions& options);

}  // namespace stride::pipeline
