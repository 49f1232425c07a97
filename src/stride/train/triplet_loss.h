#pragma once
// GaitSet's batch-all triplet loss: every (anchor, positive, negative) of a P×K batch, computed
// separately for each horizontal strip of the feature and averaged over the strips.
#include <torch/torch.h>

namespace stride::train {

struct TripletLoss {
  torch::Tensor loss;          // scalar, differentiable
  double active_fraction = 0;  // share of valid triplets that violate the margin
};

// `features` [N, D] or [N, P, D] (P strips of D values; each strip is its own metric space),
// `labels` [N] int64. Per strip, the loss is the mean of max(0, margin + d(a, p) - d(a, n)) over
// the triplets where it is positive (GaitSet's "full, non-zero mean"), 0 when none is; d is the
// Euclidean distance. Throws stride::Error when the batch has no valid triplet (a label needs two
// samples and another label must exist).
TripletLoss batch_all_triplet_loss(const torch::Tensor& features, const torch::Tensor& labels, double margin);

// Leave-one-out nearest-neighbour accuracy inside the batch over the flattened features: a
// training-time stand-in for rank-1.
double batch_rank1(const torch::Tensor& features, const torch::Tensor& labels);

}  // namespace stride::train
