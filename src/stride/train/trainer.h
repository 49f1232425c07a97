#pragma once
// Trains a Stride graph with LibTorch autograd (the torch backend's TorchProgram) on samples cut
// from loaded gait recordings, one epoch at a time, with checkpoints that resume exactly.
#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stride/core/random.h"
#include "stride/engine/torch/torch_program.h"
#include "stride/pipeline/gait_recordings.h"
#include "stride/train/train_options.h"

namespace stride::train {

// The training recordings: the loaded material of each (GaitRecordings::load, or one sensor window)
// and its class: the subject (gait recognition) or the activity (activity recognition).
struct TrainingSet {
  pipeline::ModelInput input;
  std::vector<Tensor> material;
  std::vector<int> labels;  // parallel to material: subject ids, or activity indexes
  // Names of the activities when `labels` are activity indexes; empty when they are subjects.
  std::vector<std::string> class_names;
};

struct StepReport {
  int epoch = 0;  // from 1
  int step = 0;   // from 1
  int steps = 0;
  double loss = 0;      // running mean over the epoch so far
  double accuracy = 0;  // running mean: batch accuracy (softmax) or in-batch rank-1 (triplet)
};

struct EpochReport {
  int epoch = 0;
  double loss = 0;
  double accuracy = 0;
  double learning_rate = 0;  // used in this epoch
  double seconds = 0;
};

class Trainer {
 public:
  // Throws stride::Error when the model cannot be trained on `data`: no feature output, fewer
  // softmax classes than subjects, too few subjects or recordings for a triplet batch.
  Trainer(Graph model, TrainingSet data, const TrainOptions& options);
  ~Trainer();

  Objective objective() const { return objective_; }
  int epochs_done() const { return epoch_; }
  double learning_rate() const { return learning_rate_; }
  bool uses_adam() const { return use_adam_; }
  int threads() const { return threads_; }  // LibTorch threads used (options.threads, 0 = all cores)

  // One epoch; `on_step` after every batch. Returns nothing when `stop` became true (checked
  // between batches): the partial epoch is discarded by the caller, who keeps the last checkpoint.
  std::optional<EpochReport> run_epoch(const std::function<void(const StepReport&)>& on_step,
                                       const std::atomic<bool>& stop);

  // Everything needed to continue exactly: weights, optimizer state, epoch, learning-rate
  // schedule, random stream — and what the run is of: fingerprints of the starting model, the
  // training recordings and the options. Written atomically (temporary file, then rename).
  void save_checkpoint(const std::filesystem::path& path) const;
  // Throws stride::Error when the checkpoint is unreadable or belongs to another run: another
  // model, other training data (another dataset or split) or other options, saying which.
  void load_checkpoint(const std::filesystem::path& path);

  // The model with the trained weights, its training recorded in the metadata.
  Graph trained_model() const;

 private:
  struct Batch {
    torch::Tensor inputs;
    torch::Tensor labels;
  };
  Batch cross_entropy_batch(std::span<const size_t> rows);
  Batch triplet_batch();
  std::vector<std::vector<size_t>> epoch_batches();
  void end_epoch(double loss);

  // What a checkpoint must belong to: fingerprints of what this run started from.
  struct RunIdentity {
    int64_t model = 0;    // the starting weights
    int64_t data = 0;     // the training recordings and their subjects
    int64_t options = 0;  // the settings that shape the run
  };
  RunIdentity identity() const;

  Graph model_;
  TrainingSet data_;
  TrainOptions options_;
  Objective objective_;
  std::string input_name_, output_name_;  // output: logits (cross-entropy) or features (triplet)
  std::vector<int> class_labels_;         // class index → subject id (or activity index)
  std::vector<int64_t> labels_;           // per recording
  std::unique_ptr<TorchProgram> program_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  Random random_;
  bool use_adam_ = false;
  int epoch_ = 0;
  double learning_rate_ = 0;
  int threads_ = 1;
  double last_loss_ = 0;
  double smoothed_loss_ = 0;  // running mean of epoch losses, what the plateau schedule watches
  double best_loss_ = 0;      // lowest smoothed loss
  int epochs_without_gain_ = 0;
  int rate_drops_ = 0;
};

}  // namespace stride::train
