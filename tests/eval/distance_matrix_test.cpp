#include "stride/eval/distance_matrix.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "eval/knn_oracle.h"

namespace stride::eval {
namespace {

using ::testing::HasSubstr;
using testing::Points;
using ::testing::ThrowsMessage;

// Probe (1, 0) against (0, 0), (3, 4), (1, 1), (-2, 0).
const Points kProbe{{1, 0}, 1, 2};
const Points kGallery{{0, 0, 3, 4, 1, 1, -2, 0}, 4, 2};

TEST(DistanceMatrix, L1ByHand) {
  EXPECT_THAT(distance_matrix(kProbe.view(), kGallery.view(), Metric::l1), ::testing::ElementsAre(1, 6, 1, 3));
}

TEST(DistanceMatrix, L2ByHand) {
  EXPECT_THAT(distance_matrix(kProbe.view(), kGallery.view(), Metric::l2),
              ::testing::Pointwise(::testing::FloatNear(1e-6f), {1.0f, std::sqrt(20.0f), 1.0f, 3.0f}));
}

TEST(DistanceMatrix, CosineByHand) {
  // cos = 0 for the zero vector (distance 1), 3/5, 1/sqrt(2), -1.
  EXPECT_THAT(distance_matrix(kProbe.view(), kGallery.view(), Metric::cosine),
              ::testing::Pointwise(::testing::FloatNear(1e-6f), {1.0f, 0.4f, 1.0f - std::sqrt(0.5f), 2.0f}));
}

TEST(DistanceMatrix, CosineOfZeroVectorsIsOneNotNaN) {
  const Points zeros{{0, 0, 0, 0}, 2, 2};
  for (const float d : distance_matrix(zeros.view(), kGallery.view(), Metric::cosine)) EXPECT_EQ(d, 1.0f);
  for (const float d : distance_matrix(zeros.view(), zeros.view(), Metric::cosine)) EXPECT_EQ(d, 1.0f);
}

TEST(DistanceMatrix, IdenticalVectorsAreAtZeroDespiteRounding) {
  // |a|^2 + |a|^2 - 2 a.a can round below zero; the clamp keeps sqrt from giving NaN.
  const Points a = testing::random_points(5, 37, 3);
  const auto d = distance_matrix(a.view(), a.view(), Metric::l2);
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_FALSE(std::isnan(d[static_cast<size_t>(i * 5 + i)]));
    EXPECT_NEAR(d[static_cast<size_t>(i * 5 + i)], 0.0f, 1e-2f);
  }
}

TEST(DistanceMatrix, MatchesPlainLoopsOnRandomData) {
  // More gallery rows than one L1 block (64) and an odd dimension.
  const Points probes = testing::random_points(7, 29, 1), gallery = testing::random_points(150, 29, 2);
  for (const Metric metric : {Metric::l1, Metric::l2, Metric::cosine}) {
    const auto d = distance_matrix(probes.view(), gallery.view(), metric);
    for (int64_t p = 0; p < probes.rows; ++p)
      for (int64_t g = 0; g < gallery.rows; ++g) {
        const double expected = testing::oracle_distance(probes.row(p), gallery.row(g), metric);
        EXPECT_NEAR(d[static_cast<size_t>(p * gallery.rows + g)], expected, 1e-4 * std::max(1.0, expected))
            << metric_name(metric) << " probe " << p << " gallery " << g;
      }
  }
}

TEST(DistanceMatrix, RefusesBadInputClearly) {
  const Points wide{{1, 2, 3}, 1, 3};
  EXPECT_THAT([&] { distance_matrix(wide.view(), kGallery.view(), Metric::l2); },
              ThrowsMessage<Error>(HasSubstr("dimension 3 but the gallery's have 2")));
  // Zero-width rows cost nothing to describe, but their distance matrix would not fit in memory.
  const Points huge{{}, int64_t{1} << 30, 0};
  EXPECT_THAT([&] { distance_matrix(huge.view(), huge.view(), Metric::l1); },
              ThrowsMessage<Error>(HasSubstr("1073741824x1073741824 distance matrix is too large")));
}

TEST(Metric, NamesRoundTripAndUnknownNamesAreListed) {
  for (const Metric m : {Metric::l1, Metric::l2, Metric::cosine}) EXPECT_EQ(metric_from_name(metric_name(m)), m);
  EXPECT_EQ(metric_from_name("euclidean"), Metric::l2);
  EXPECT_THAT([] { metric_from_name("manhattan"); }, ThrowsMessage<Error>(HasSubstr("expected l1, l2")));
}

}  // namespace
}  // namespace stride::eval
