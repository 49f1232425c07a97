#pragma once
// Training shared by `stride train` and the commands that fine-tune a model they changed
// (`stride prune --finetune-epochs`): loading a dataset's training recordings and running epochs
// with progress on the terminal.
#include <string>

#include "stride/train/trainer.h"

namespace stride::cli {

// The recordings `model` trains on under `data`: "train-subjects" (the protocol's training and
// validation subjects, every recording) or "test-gallery" (the test subjects' gallery recordings,
// what a softmax head needs to name them).
train::TrainingSet load_training_set(const Graph& model, const std::string& data, const std::string& train_on,
                                     int threads);

// Trains `model` for options.epochs epochs from scratch state (no checkpoint) and returns it
// trained. Throws stride::Error when interrupted (SIGINT) — nothing half-trained is returned.
Graph fine_tune(const Graph& model, train::TrainingSet set, const train::TrainOptions& options);

}  // namespace stride::cli
