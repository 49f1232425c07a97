// `stride eval`: identification accuracy of a model under its dataset's test protocol (CASIA-B or
// TUM-GAID), with the feature-extraction time and the classifier time reported apart (the
// paper's Table 3 split).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/model_io.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/data/layout.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/make_backend.h"
#include "stride/eval/accuracy_report.h"
#include "stride/eval/casia_b_evaluation.h"
#include "stride/eval/softmax_classifier.h"
#include "stride/eval/tum_gaid_evaluation.h"
#include "stride/ir/subgraph.h"
#include "stride/measure/machine_info.h"
#include "stride/pipeline/batched_run.h"
#include "stride/pipeline/gait_recordings.h"

namespace stride::cli {
namespace {

struct EvalArgs {
  std::string model;
  std::string data;
  std::string classifier = "knn";
  std::string backend = "onednn";
  std::string metric = "l2";
  int k = 1;
  int64_t batch = 8;
  int threads = 0;
  std::string json;
};

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Subject id of each softmax class, as `stride train` records it.
std::vector<int64_t> class_subjects(const Graph& model) {
  auto it = model.metadata.find("stride.class_subjects");
  if (it == model.metadata.end())
    fail(
        "model '{}' does not say which subject each softmax class is (no stride.class_subjects): train it with "
        "'stride train --train-on test-gallery' to use --classifier softmax",
        model.name);
  std::vector<int64_t> subjects;
  std::stringstream list(it->second);
  for (std::string id; std::getline(list, id, ',');) subjects.push_back(std::stoll(id));
  return subjects;
}

struct Timings {
  double feature_seconds = 0;
  double classifier_seconds = 0;
};

// The predicted subject of every sample by the softmax head run on the features.
std::vector<int64_t> softmax_predictions(const Graph& model, const Backend& backend, const EvalArgs& args,
                                         const std::string& feature, const Tensor& features,
                                         std::span<const eval::GaitSample> samples, Timings& timings) {
  const std::vector<int64_t> subjects = class_subjects(model);
  std::set<int64_t> known(subjects.begin(), subjects.end());
  for (const eval::GaitSample& s : samples)
    if (!known.count(s.subject))
      fail(
          "subject {} was not among the classes the model was trained on ({} classes): a softmax classifier can "
          "only name subjects it was trained on (train with --train-on test-gallery)",
          s.subject, subjects.size());
  Shape feature_shape = features.shape();
  feature_shape[0] = args.batch;
  const Graph head = graph_after(model, ValueInfo{feature, DType::f32, feature_shape});
  auto plan = backend.compile(head, {args.threads, {{feature, feature_shape}}});
  const size_t row_bytes = features.nbytes() / features.dim(0);
  const auto start = Clock::now();
  const pipeline::BatchedOutput probabilities = pipeline::run_in_batches(
      *plan, feature, "probabilities", args.batch, samples.size(), [&](size_t first, size_t n) {
        Tensor batch(DType::f32, feature_shape);
        for (int64_t i = 0; i < args.batch; ++i)
          std::memcpy(batch.raw() + i * row_bytes, features.raw() + (first + std::min<size_t>(i, n - 1)) * row_bytes,
                      row_bytes);
        return batch;
      });
  std::vector<int64_t> predicted = eval::top1_classes(eval::MatrixView(probabilities.rows, "probabilities"));
  timings.classifier_seconds = seconds_since(start);
  for (int64_t& p : predicted) {
    if (p >= static_cast<int64_t>(subjects.size()))
      fail("the model predicted class {}, which it was not trained on", p);
    p = subjects[p];
  }
  return predicted;
}

void evaluate(const EvalArgs& args) {
  const Graph model = load_model(args.model);
  const pipeline::ModelInput input = pipeline::model_input_of(model);
  const pipeline::GaitRecordings recordings = pipeline::GaitRecordings::open(args.data, input);
  const std::vector<size_t> rows = recordings.rows_of(recordings.split().test, false);
  std::vector<eval::GaitSample> samples;
  for (size_t r : rows) samples.push_back(recordings.samples()[r]);

  ProgressBar loading(fmt::format("loading {} test recordings", rows.size()));
  const auto material = recordings.load(rows, 1, args.threads, [&](size_t d, size_t t) { loading.update(d, t); });

  const std::unique_ptr<Backend> backend = make_backend(args.backend);
  auto feature_it = model.metadata.find("stride.feature_output");
  const std::string feature = feature_it != model.metadata.end() ? feature_it->second : "feature";
  const Graph extractor = prune_to_outputs(model, {feature});
  check_backend_supports(*backend, extractor);
  auto plan = backend->compile(extractor, {args.threads, input_shapes_at_batch(extractor, args.batch)});

  Timings timings;
  const pipeline::BatchedOutput features = pipeline::run_in_batches(
      *plan, extractor.inputs.front().name, feature, args.batch, rows.size(), [&](size_t first, size_t n) {
        std::vector<Tensor> cut;
        for (size_t i = 0; i < n; ++i) cut.push_back(pipeline::cut_sample(material[first + i], input, nullptr));
        std::vector<const Tensor*> batch;
        for (int64_t i = 0; i < args.batch; ++i) batch.push_back(&cut[std::min<size_t>(i, n - 1)]);
        return pipeline::make_batch(batch, input);
      });
  timings.feature_seconds = features.plan_seconds;

  std::unique_ptr<eval::Identifier> identifier;
  const Tensor flat = features.rows.reshaped({features.rows.dim(0), features.rows.numel() / features.rows.dim(0)});
  if (args.classifier == "knn") {
    eval::KnnOptions options;
    options.k = args.k;
    options.metric = eval::metric_from_name(args.metric);
    identifier = std::make_unique<eval::KnnIdentifier>(eval::MatrixView(flat, "features"), samples, options);
  } else if (args.classifier == "softmax") {
    identifier = std::make_unique<eval::FixedPredictions>(
        softmax_predictions(model, *backend, args, feature, features.rows, samples, timings));
  } else {
    fail("--classifier {}: expected knn or softmax", args.classifier);
  }

  // The KNN classifier does its work inside the protocol (a gallery per view); its time is the
  // protocol's. The softmax head has already run; the protocol only counts.
  const auto start = Clock::now();
  nlohmann::json result;
  std::string table;
  if (recordings.layout() == data::DatasetLayout::casia_b) {
    const eval::CasiaBResult r = eval::evaluate_casia_b(samples, *identifier);
    table = eval::to_text(r);
    result = eval::to_json(r);
  } else {
    const eval::TumGaidResult r = eval::evaluate_tum_gaid(samples, *identifier);
    table = eval::to_text(r);
    result = eval::to_json(r);
  }
  if (args.classifier == "knn") timings.classifier_seconds = seconds_since(start);

  const double per_sample_ms = 1000 * timings.feature_seconds / rows.size();
  const std::string classifier =
      args.classifier == "knn" ? fmt::format("KNN (k={}, {})", args.k, args.metric) : std::string("softmax head");
  fmt::print("{} on {} test recordings of {} ({}), {} backend, batch {}\n", model.name, rows.size(), args.data,
             data::layout_name(recordings.layout()), backend->name(), args.batch);
  fmt::print("{}\n", table);
  fmt::print("classifier: {}\nfeature extraction: {:.3f} s ({:.2f} ms per recording)\nclassification: {:.3f} s\n",
             classifier, timings.feature_seconds, per_sample_ms, timings.classifier_seconds);

  if (!args.json.empty()) {
    const MachineInfo machine = machine_info();
    nlohmann::json j = {{"model", args.model},
                        {"dataset", args.data},
                        {"layout", std::string(data::layout_name(recordings.layout()))},
                        {"backend", std::string(backend->name())},
                        {"classifier", args.classifier},
                        {"test_recordings", rows.size()},
                        {"batch", args.batch},
                        {"feature_seconds", timings.feature_seconds},
                        {"feature_ms_per_recording", per_sample_ms},
                        {"classifier_seconds", timings.classifier_seconds},
                        {"result", result},
                        {"machine", {{"cpu", machine.cpu_model}, {"logical_cores", machine.logical_cores}}},
                        {"date", utc_timestamp()}};
    if (args.classifier == "knn") j["knn"] = {{"k", args.k}, {"metric", args.metric}};
    write_file_atomically(args.json, j.dump(2) + "\n");
    fmt::print("results written to {}\n", args.json);
  }
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Rank-1 identification accuracy under the dataset's test protocol (CASIA-B or TUM-GAID)");
  cmd->add_option("model", a->model, "ONNX model (trained with 'stride train')")->required();
  cmd->add_option("--data", a->data, "Dataset folder (the test subjects of its split are evaluated)")->required();
  cmd->add_option("--classifier", a->classifier, "knn (over the features, gallery = the protocol's) or softmax")
      ->capture_default_str();
  cmd->add_option("--backend", a->backend, "Backend computing the features")->capture_default_str();
  cmd->add_option("--k", a->k, "Neighbours of the KNN classifier")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--metric", a->metric, "KNN distance: l2, l1 or cosine")->capture_default_str();
  cmd->add_option("--batch", a->batch, "Recordings per inference")->capture_default_str()->check(CLI::Range(1, 4096));
  cmd->add_option("--threads", a->threads, "Threads (0: all cores)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--json", a->json, "Also write the results as JSON");
  cmd->footer(
      "Example:\n"
      "  stride eval gaitset-trained.onnx --data data/casia-b-mini --classifier knn --metric l2\n"
      "  stride eval cnn2d-trained.onnx --data data/tum-gaid-mini --classifier softmax --json cnn2d-eval.json");
  cmd->callback([a] { evaluate(*a); });
}

}  // namespace stride::cli
