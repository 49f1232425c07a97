#pragma once
// An activity-recognition model's accuracy on the test windows of a UCI HAR-layout dataset: the
// model's softmax head on every window, the accuracy and the confusion matrix (rows: the true
// activity, columns: the predicted one) — where the activities that look alike (sitting and
// standing, walking and the stairs) show.
#include <cstdint>
#include <string>
#include <vector>

#include "stride/ir/graph.h"
#include "stride/pipeline/batched_run.h"
#include "stride/pipeline/sensor_windows.h"

namespace stride::pipeline {

struct ActivityEvaluation {
  std::vector<std::string> activities;
  std::vector<std::vector<int64_t>> confusion;  // [true activity][predicted activity], window counts
  size_t windows = 0;
  double model_seconds = 0;  // inside the backend's plan
  double accuracy() const;   // %, correct windows over all
};

struct ActivityOptions {
  std::string backend = "onednn";
  int64_t batch = 8;
  int threads = 0;
  TimedRunHooks runs;  // around every timed plan run (an energy meter's window)
};

// The model's class k stands for the activity its `stride.class_names` metadata names (written by
// `stride train`), or for activity k of the dataset when it has none (an untrained zoo model).
// Throws stride::Error for a model without a softmax head or naming an activity the dataset lacks.
ActivityEvaluation evaluate_activity_model(const Graph& model, const SensorWindows& test, const ActivityOptions& options);

// The confusion matrix as a table: a row per true activity ("2 WALKING_UPSTAIRS"), a column per
// predicted one (by number), and each row's recall.
std::string confusion_text(const ActivityEvaluation& evaluation);

}  // namespace stride::pipeline
