#pragma once
// How `stride train` trains: the paper's recipes with their defaults.
#include <cstdint>
#include <optional>

namespace stride::train {

// Models with a softmax head learn identities with cross-entropy (SGD, momentum, weight decay, the
// learning rate divided by 10 when the epoch loss stops improving); models without one (GaitSet)
// learn a metric with the batch-all triplet loss on P×K batches (Adam).
enum class Objective { cross_entropy, triplet };

// automatic: Adam for the triplet loss and for models with a recurrent layer (an LSTM's gates stall
// under the paper's SGD: har-lstm stayed under 50 % training accuracy at every rate tried, as the
// HAR literature's LSTMs train with Adam), SGD otherwise.
enum class Optimizer { automatic, sgd, adam };

struct TrainOptions {
  int epochs = 10;
  Optimizer optimizer = Optimizer::automatic;
  // unset: 0.002 with SGD, 1e-4 with Adam on the triplet loss, 0.002 with Adam on cross-entropy
  std::optional<double> learning_rate;
  double momentum = 0.9;
  double weight_decay = 5e-4;      // SGD only; GaitSet trains Adam without it
  int plateau_patience = 10;       // epochs without a 1 % better (smoothed) loss before the rate drops 10×
  int max_rate_drops = 3;          // the rate stops dropping at 1/1000 of the first
  int batch_size = 16;             // cross-entropy batches
  int subjects_per_batch = 8;      // triplet batches: P subjects ...
  int recordings_per_subject = 4;  // ... × K recordings each
  double margin = 0.2;
  uint64_t seed = 1;
  int threads = 0;  // 0: all cores
};

}  // namespace stride::train
