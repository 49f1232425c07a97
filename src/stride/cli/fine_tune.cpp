#include "stride/cli/fine_tune.h"

#include <fmt/format.h>

#include "stride/cli/progress_bar.h"
#include "stride/core/interrupt.h"
#include "stride/core/usage_error.h"
#include "stride/pipeline/gait_recordings.h"
#include "stride/pipeline/sensor_windows.h"

namespace stride::cli {

train::TrainingSet load_training_set(const Graph& model, const std::string& data, const std::string& train_on,
                                     int threads) {
  const pipeline::ModelInput input = pipeline::model_input_of(model);
  if (input.kind == pipeline::InputKind::imu) {
    // Activity models learn activities from the training subjects' windows; a test gallery is a gait notion.
    if (train_on != "train-subjects")
      usage_fail("--train-on {}: an activity model trains on the dataset's train split (train-subjects)", train_on);
    pipeline::SensorWindows windows = pipeline::load_sensor_windows(data, "train", input);
    return {input, std::move(windows.windows), std::move(windows.labels), std::move(windows.activity_names)};
  }
  const pipeline::GaitRecordings recordings = pipeline::GaitRecordings::open(data, input);
  const eval::SubjectSplit split = recordings.split();
  std::vector<size_t> rows;
  if (train_on == "train-subjects") {
    std::vector<int> subjects = split.train;
    subjects.insert(subjects.end(), split.validation.begin(), split.validation.end());
    rows = recordings.rows_of(subjects, false);
  } else if (train_on == "test-gallery") {
    rows = recordings.rows_of(split.test, true);
  } else {
    usage_fail("--train-on {}: expected train-subjects or test-gallery", train_on);
  }
  if (rows.empty()) fail("{}: no recordings to train on with --train-on {}", data, train_on);
  ProgressBar bar(fmt::format("loading {} recordings", rows.size()));
  train::TrainingSet set{input, {}, {}, {}};
  set.material = recordings.load(rows, threads, [&](size_t done, size_t total) { bar.update(done, total); });
  for (size_t r : rows) set.labels.push_back(recordings.samples()[r].subject);
  return set;
}

Graph fine_tune(const Graph& model, train::TrainingSet set, const train::TrainOptions& options) {
  train::Trainer trainer(model, std::move(set), options);
  const GracefulInterrupt interrupt;  // the first Ctrl-C stops after the current batch, a second one at once
  while (trainer.epochs_done() < options.epochs) {
    ProgressBar bar(fmt::format("fine-tuning epoch {}/{}", trainer.epochs_done() + 1, options.epochs));
    auto epoch = trainer.run_epoch([&](const train::StepReport& s) { bar.update(s.step, s.steps); }, interrupt.flag());
    if (!epoch) {
      fail("interrupted while fine-tuning (epoch {}): no output written", trainer.epochs_done() + 1);
    }
    fmt::print("  fine-tuning epoch {}: loss {:.4f}, {:.1f} s\n", epoch->epoch, epoch->loss, epoch->seconds);
    std::fflush(stdout);
  }
  return trainer.trained_model();
}

}  // namespace stride::cli
