#include "stride/train/triplet_loss.h"

#include <limits>

#include "stride/core/error.h"

namespace stride::train {

namespace {

// Pairwise Euclidean distances per strip: [P, N, N]. The small floor keeps the gradient of the
// square root finite at zero distance.
torch::Tensor strip_distances(const torch::Tensor& strips) {
  const torch::Tensor squares = strips.pow(2).sum(-1);
  const torch::Tensor d2 =
      squares.unsqueeze(2) + squares.unsqueeze(1) - 2 * torch::matmul(strips, strips.transpose(1, 2));
  return torch::sqrt(torch::clamp_min(d2, 1e-12));
}

}  // namespace

TripletLoss batch_all_triplet_loss(const torch::Tensor& features, const torch::Tensor& labels, double margin) {
  if (features.dim() != 2 && features.dim() != 3) fail("triplet loss: features must be [N, D] or [N, P, D]");
  if (labels.dim() != 1 || labels.size(0) != features.size(0)) fail("triplet loss: one label per sample expected");
  const torch::Tensor strips = (features.dim() == 2 ? features.unsqueeze(1) : features).transpose(0, 1);  // [P, N, D]
  const torch::Tensor d = strip_distances(strips);
  const torch::Tensor same = labels.unsqueeze(0) == labels.unsqueeze(1);
  const torch::Tensor not_self = ~torch::eye(labels.size(0), torch::kBool);
  const torch::Tensor positive = same & not_self;                            // [N, N]: (anchor, positive)
  const torch::Tensor valid = positive.unsqueeze(2) & (~same).unsqueeze(1);  // [N, N, N]: (a, p, n)
  const int64_t triplets = valid.sum().item<int64_t>();
  if (triplets == 0) fail("triplet loss: the batch has no (anchor, positive, negative) triplet");
  // [P, a, p, n]
  const torch::Tensor hinge = torch::relu(margin + d.unsqueeze(3) - d.unsqueeze(2)) * valid.unsqueeze(0);
  const torch::Tensor active = (hinge > 0).to(torch::kFloat).sum({1, 2, 3});  // per strip
  const torch::Tensor per_strip = hinge.sum({1, 2, 3}) / torch::clamp_min(active, 1.0);
  TripletLoss result;
  result.loss = per_strip.mean();
  result.active_fraction = active.sum().item<double>() / (static_cast<double>(triplets) * strips.size(0));
  return result;
}

double batch_rank1(const torch::Tensor& features, const torch::Tensor& labels) {
  torch::NoGradGuard no_grad;
  const torch::Tensor flat = features.reshape({features.size(0), -1});
  torch::Tensor d = torch::cdist(flat, flat);
  d.fill_diagonal_(std::numeric_limits<float>::infinity());
  const torch::Tensor nearest = d.argmin(1);
  return (labels.index_select(0, nearest) == labels).to(torch::kFloat).mean().item<double>();
}

}  // namespace stride::train
