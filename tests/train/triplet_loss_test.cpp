#include "stride/train/triplet_loss.h"

#include <gtest/gtest.h>

#include <cmath>

#include "stride/core/error.h"

namespace stride::train {
namespace {

// The loss by its definition, one triplet at a time, in double precision.
double brute_force_loss(const torch::Tensor& features, const std::vector<int64_t>& labels, double margin) {
  const auto f = features.to(torch::kFloat64);
  const int64_t n = f.size(0), parts = f.size(1);
  double total = 0;
  for (int64_t p = 0; p < parts; ++p) {
    auto d = [&](int64_t i, int64_t j) { return (f[i][p] - f[j][p]).pow(2).sum().sqrt().item<double>(); };
    double sum = 0;
    int active = 0;
    for (int64_t a = 0; a < n; ++a)
      for (int64_t q = 0; q < n; ++q)
        for (int64_t m = 0; m < n; ++m) {
          if (a == q || labels[a] != labels[q] || labels[a] == labels[m]) continue;
          const double h = margin + d(a, q) - d(a, m);
          if (h > 0) {
            sum += h;
            ++active;
          }
        }
    total += active ? sum / active : 0.0;
  }
  return total / parts;
}

TEST(TripletLoss, MatchesTheTripletByTripletDefinition) {
  torch::manual_seed(4);
  const torch::Tensor features = torch::randn({6, 3, 5}) * 0.3;
  const std::vector<int64_t> labels{0, 0, 1, 1, 2, 2};
  const TripletLoss loss = batch_all_triplet_loss(features, torch::tensor(labels), 0.2);
  EXPECT_NEAR(loss.loss.item<double>(), brute_force_loss(features, labels, 0.2), 1e-5);
  EXPECT_GT(loss.active_fraction, 0.0);
  EXPECT_LE(loss.active_fraction, 1.0);
}

TEST(TripletLoss, IsZeroWhenEveryNegativeIsFarEnoughAndHasAGradientOtherwise) {
  // Two tight clusters 10 apart: no triplet violates a 0.2 margin.
  const torch::Tensor apart = torch::tensor({0.0f, 0.1f, 10.0f, 10.1f}).reshape({4, 1});
  const TripletLoss zero = batch_all_triplet_loss(apart, torch::tensor({0, 0, 1, 1}), 0.2);
  EXPECT_EQ(zero.loss.item<double>(), 0.0);
  EXPECT_EQ(zero.active_fraction, 0.0);

  const torch::Tensor mixed = torch::tensor({0.0f, 1.0f, 0.2f, 1.1f}).reshape({4, 1}).requires_grad_(true);
  const TripletLoss loss = batch_all_triplet_loss(mixed, torch::tensor({0, 0, 1, 1}), 0.2);
  loss.loss.backward();
  EXPECT_GT(loss.loss.item<double>(), 0.0);
  EXPECT_GT(mixed.grad().abs().sum().item<double>(), 0.0);
}

TEST(TripletLoss, RefusesABatchWithoutTriplets) {
  EXPECT_THROW(batch_all_triplet_loss(torch::ones({3, 2}), torch::tensor({1, 1, 1}), 0.2), Error);
  EXPECT_THROW(batch_all_triplet_loss(torch::ones({3, 2}), torch::tensor({1, 2, 3}), 0.2), Error);
  EXPECT_THROW(batch_all_triplet_loss(torch::ones({3, 2}), torch::tensor({1, 2}), 0.2), Error);
}

TEST(BatchRank1, CountsNearestNeighboursOfTheSameLabel) {
  const torch::Tensor points = torch::tensor({0.0f, 0.1f, 5.0f, 5.1f}).reshape({4, 1});
  EXPECT_DOUBLE_EQ(batch_rank1(points, torch::tensor({0, 0, 1, 1})), 1.0);
  EXPECT_DOUBLE_EQ(batch_rank1(points, torch::tensor({0, 1, 0, 1})), 0.0);
  EXPECT_DOUBLE_EQ(batch_rank1(points, torch::tensor({0, 0, 0, 1})), 0.5);
}

}  // namespace
}  // namespace stride::train
