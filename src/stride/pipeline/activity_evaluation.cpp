#include "stride/pipeline/activity_evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "stride/core/error.h"
#include "stride/engine/inputs.h"
#include "stride/engine/select/make_backend.h"
#include "stride/eval/softmax_classifier.h"
#include "stride/ir/float_interface.h"
#include "stride/ir/subgraph.h"

namespace stride::pipeline {
namespace {

const char* const kProbabilities = "probabilities";

std::vector<std::string> split_names(const std::string& joined) {
  std::vector<std::string> names;
  size_t start = 0;
  for (size_t comma; (comma = joined.find(',', start)) != std::string::npos; start = comma + 1)
    names.push_back(joined.substr(start, comma - start));
  names.push_back(joined.substr(start));
  return names;
}

// The dataset's activity index of each of the model's classes.
std::vector<int> activity_of_class(const Graph& model, const SensorWindows& test, int64_t classes) {
  std::vector<int> activity;
  auto names = model.metadata.find("stride.class_names");
  if (names == model.metadata.end()) {
    for (int64_t c = 0; c < classes; ++c) activity.push_back(static_cast<int>(c));
    return activity;
  }
  for (const std::string& name : split_names(names->second)) {
    auto it = std::find(test.activity_names.begin(), test.activity_names.end(), name);
    if (it == test.activity_names.end())
      fail("model '{}' was trained on activity '{}', which the dataset does not have", model.name, name);
    activity.push_back(static_cast<int>(it - test.activity_names.begin()));
  }
  return activity;
}

}  // namespace

double ActivityEvaluation::accuracy() const {
  int64_t correct = 0;
  for (size_t a = 0; a < confusion.size(); ++a) correct += confusion[a][a];
  return windows == 0 ? 0.0 : 100.0 * static_cast<double>(correct) / static_cast<double>(windows);
}

ActivityEvaluation evaluate_activity_model(const Graph& given, const SensorWindows& test,
                                           const ActivityOptions& options) {
  const Graph model = with_float_interface(given);  // a full-integer model reads and writes real values here
  const ModelInput input = model_input_of(model);
  auto head = std::find_if(model.outputs.begin(), model.outputs.end(),
                           [](const ValueInfo& v) { return v.name == kProbabilities; });
  if (head == model.outputs.end())
    fail("model '{}' has no softmax head ('{}' output): activity recognition needs one", model.name, kProbabilities);
  if (test.windows.empty()) fail("no test windows to evaluate");
  const std::vector<int> activity = activity_of_class(model, test, head->shape.back());

  const std::unique_ptr<Backend> backend = make_backend(options.backend);
  const Graph classifier = prune_to_outputs(model, {kProbabilities});
  check_backend_supports(*backend, classifier);
  auto plan = backend->compile(classifier, {options.threads, input_shapes_at_batch(classifier, options.batch)});
  const BatchedOutput probabilities = run_in_batches(
      *plan, classifier.inputs.front().name, kProbabilities, options.batch, test.windows.size(),
      [&](size_t first, size_t n) {
        std::vector<const Tensor*> batch;
        for (int64_t i = 0; i < options.batch; ++i)
          batch.push_back(&test.windows[first + std::min<size_t>(static_cast<size_t>(i), n - 1)]);
        return make_batch(batch, input);
      },
      options.runs);

  ActivityEvaluation e;
  e.activities = test.activity_names;
  e.windows = test.windows.size();
  e.model_seconds = probabilities.plan_seconds;
  e.confusion.assign(e.activities.size(), std::vector<int64_t>(e.activities.size(), 0));
  const std::vector<int64_t> predicted = eval::top1_classes(eval::MatrixView(probabilities.rows, kProbabilities));
  for (size_t w = 0; w < predicted.size(); ++w) {
    if (predicted[w] >= static_cast<int64_t>(activity.size()))
      fail("the model predicted class {}, which it was not trained on", predicted[w]);
    ++e.confusion.at(static_cast<size_t>(test.labels[w])).at(static_cast<size_t>(activity[predicted[w]]));
  }
  return e;
}

std::string confusion_text(const ActivityEvaluation& e) {
  // Columns by number: the names of related activities share their first letters (WALKING_UPSTAIRS).
  std::string text = fmt::format("{:<24}", "true \\ predicted");
  for (size_t a = 0; a < e.activities.size(); ++a) text += fmt::format(" {:>6}", a + 1);
  text += fmt::format(" {:>8}\n", "recall");
  for (size_t t = 0; t < e.activities.size(); ++t) {
    int64_t row = 0;
    for (int64_t c : e.confusion[t]) row += c;
    text += fmt::format("{:<24}", fmt::format("{} {}", t + 1, e.activities[t]).substr(0, 24));
    for (int64_t c : e.confusion[t]) text += fmt::format(" {:>6}", c);
    text += row == 0 ? fmt::format(" {:>8}\n", "n/a")
                     : fmt::format(" {:>7.1f}%\n", 100.0 * static_cast<double>(e.confusion[t][t]) / row);
  }
  return text;
}

}  // namespace stride::pipeline
