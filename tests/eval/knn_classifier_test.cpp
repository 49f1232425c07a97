#include "stride/eval/knn_classifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "eval/knn_oracle.h"

namespace stride::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Points;
using ::testing::ThrowsMessage;

constexpr Metric kMetrics[] = {Metric::l1, Metric::l2, Metric::cosine};

KnnOptions options(int k, Metric metric, KnnEngine engine = KnnEngine::automatic) {
  KnnOptions o;
  o.k = k;
  o.metric = metric;
  o.engine = engine;
  return o;
}

std::vector<int64_t> row_labels(int64_t rows) {
  std::vector<int64_t> labels(static_cast<size_t>(rows));
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int64_t>(i);
  return labels;
}

TEST(KnnClassifier, NeighboursMatchBruteForceForEveryMetricAndK) {
  const Points gallery = testing::random_points(90, 12, 11), probes = testing::random_points(17, 12, 12);
  for (const KnnEngine engine : {KnnEngine::distance_matrix, KnnEngine::faiss})
    for (const Metric metric : kMetrics)
      for (const int k : {1, 3, 8, 90}) {
        SCOPED_TRACE(::testing::Message()
                     << metric_name(metric) << " k=" << k << " faiss=" << (engine == KnnEngine::faiss));
        const KnnClassifier knn(gallery.view(), row_labels(gallery.rows), options(k, metric, engine));
        testing::expect_oracle_neighbours(knn.neighbours(probes.view()), probes, gallery, metric, k);
      }
}

TEST(KnnClassifier, FaissAndDistanceMatrixGiveTheSameNeighbours) {
  // Enough probes that FAISS takes its own sgemm path for L2 and inner product.
  const Points gallery = testing::random_points(700, 48, 21), probes = testing::random_points(64, 48, 22);
  for (const Metric metric : kMetrics)
    for (const int k : {1, 5, 20}) {
      SCOPED_TRACE(::testing::Message() << metric_name(metric) << " k=" << k);
      const KnnClassifier blas(gallery.view(), row_labels(700), options(k, metric, KnnEngine::distance_matrix));
      const KnnClassifier faiss(gallery.view(), row_labels(700), options(k, metric, KnnEngine::faiss));
      ASSERT_FALSE(blas.uses_faiss());
      ASSERT_TRUE(faiss.uses_faiss());
      const Neighbours a = blas.neighbours(probes.view()), b = faiss.neighbours(probes.view());
      EXPECT_EQ(a.indices, b.indices);
      for (size_t i = 0; i < a.distances.size(); ++i)
        EXPECT_NEAR(a.distances[i], b.distances[i], 1e-4 * std::max(1.0f, a.distances[i]));
      EXPECT_EQ(blas.predict(probes.view()), faiss.predict(probes.view()));
    }
}

TEST(KnnClassifier, ChoosesFaissFromTheGallerySizeThreshold) {
  const Points gallery = testing::random_points(50, 4, 5);
  KnnOptions o = options(1, Metric::l2);
  o.faiss_min_gallery = 50;
  EXPECT_TRUE(KnnClassifier(gallery.view(), row_labels(50), o).uses_faiss());
  o.faiss_min_gallery = 51;
  EXPECT_FALSE(KnnClassifier(gallery.view(), row_labels(50), o).uses_faiss());
  o.engine = KnnEngine::faiss;
  EXPECT_TRUE(KnnClassifier(gallery.view(), row_labels(50), o).uses_faiss());
}

// Gallery on a line: labels 7 7 9 9 9 at x = 0, 1, 3, 4, 5.
const Points kLine{{0, 0, 1, 0, 3, 0, 4, 0, 5, 0}, 5, 2};
const std::vector<int64_t> kLineLabels{7, 7, 9, 9, 9};

TEST(KnnClassifier, MajorityVoteByHand) {
  const Points probes{{1.9f, 0, 2.1f, 0, 0.4f, 0}, 3, 2};
  for (const KnnEngine engine : {KnnEngine::distance_matrix, KnnEngine::faiss}) {
    // k=1: nearest is x=1 (7), x=3 (9), x=0 (7).
    EXPECT_THAT(KnnClassifier(kLine.view(), kLineLabels, options(1, Metric::l2, engine)).predict(probes.view()),
                ElementsAre(7, 9, 7));
    // k=3 from 1.9: x=1, 3, 0 -> 7 9 7 -> 7; from 2.1: x=3, 1, 4 -> 9 7 9 -> 9; from 0.4: 7 7 9 -> 7.
    EXPECT_THAT(KnnClassifier(kLine.view(), kLineLabels, options(3, Metric::l1, engine)).predict(probes.view()),
                ElementsAre(7, 9, 7));
    // k=5: three 9s outvote two 7s however near the 7s are.
    EXPECT_THAT(KnnClassifier(kLine.view(), kLineLabels, options(5, Metric::l2, engine)).predict(probes.view()),
                ElementsAre(9, 9, 9));
  }
}

TEST(KnnClassifier, TiedVotesGoToTheNearerLabel) {
  // k=4 from x=2.2: x=3 (9), 1 (7), 4 (9), 0 (7): two votes each, 9 is nearer.
  // From x=1.8: x=1 (7), 3 (9), 0 (7), 4 (9): 7 is nearer.
  const Points probes{{2.2f, 0, 1.8f, 0}, 2, 2};
  EXPECT_THAT(KnnClassifier(kLine.view(), kLineLabels, options(4, Metric::l2)).predict(probes.view()),
              ElementsAre(9, 7));
  EXPECT_EQ(majority_label(std::vector<int64_t>{5, 7, 7, 5}), 5);
  EXPECT_EQ(majority_label(std::vector<int64_t>{5, 7, 7}), 7);
  EXPECT_EQ(majority_label(std::vector<int64_t>{4, 6, 8}), 4);
}

TEST(KnnClassifier, EqualDistancesRankInGalleryOrder) {
  // (1, 0) is at L1 distance 1 from both (0, 0) and (1, 1).
  const Points gallery{{1, 1, 0, 0, 5, 5}, 3, 2}, probe{{1, 0}, 1, 2};
  for (const KnnEngine engine : {KnnEngine::distance_matrix, KnnEngine::faiss}) {
    const Neighbours n =
        KnnClassifier(gallery.view(), {10, 20, 30}, options(2, Metric::l1, engine)).neighbours(probe.view());
    EXPECT_THAT(n.indices, ElementsAre(0, 1));
    EXPECT_THAT(n.distances, ElementsAre(1, 1));
  }
}

TEST(KnnClassifier, CosineOfZeroVectorsGivesNoNaN) {
  const Points gallery{{0, 0, 1, 0, 0, 2}, 3, 2}, probes{{0, 0, 3, 0}, 2, 2};
  for (const KnnEngine engine : {KnnEngine::distance_matrix, KnnEngine::faiss}) {
    const KnnClassifier knn(gallery.view(), {1, 2, 3}, options(3, Metric::cosine, engine));
    const Neighbours n = knn.neighbours(probes.view());
    for (const float d : n.distances) EXPECT_FALSE(std::isnan(d));
    EXPECT_THAT(n.distances_of(0), ElementsAre(1, 1, 1));  // a zero probe is orthogonal to all
    EXPECT_THAT(n.indices_of(1), ElementsAre(1, 0, 2));    // (3,0): same direction, zero, orthogonal
    EXPECT_THAT(n.distances_of(1), ElementsAre(0, 1, 1));
  }
}

TEST(KnnClassifier, NoProbesGiveNoPredictions) {
  const Points none{{}, 0, 2};
  EXPECT_TRUE(KnnClassifier(kLine.view(), kLineLabels, options(2, Metric::l2)).predict(none.view()).empty());
}

TEST(KnnClassifier, RefusesBadInputClearly) {
  const Points empty{{}, 0, 2}, wide{{1, 2, 3}, 1, 3};
  EXPECT_THAT([&] { KnnClassifier(empty.view(), {}, options(1, Metric::l2)); },
              ThrowsMessage<Error>(HasSubstr("gallery is empty")));
  EXPECT_THAT([&] { KnnClassifier(kLine.view(), kLineLabels, options(0, Metric::l2)); },
              ThrowsMessage<Error>(HasSubstr("k = 0 is out of range: it must be between 1 and the gallery size (5)")));
  EXPECT_THAT([&] { KnnClassifier(kLine.view(), kLineLabels, options(6, Metric::l1)); },
              ThrowsMessage<Error>(HasSubstr("k = 6 is out of range")));
  EXPECT_THAT(
      [&] {
        KnnClassifier(kLine.view(), {1, 2}, options(1, Metric::l2));
      },
      ThrowsMessage<Error>(HasSubstr("5 vectors but 2 labels")));
  const KnnClassifier knn(kLine.view(), kLineLabels, options(1, Metric::l2));
  EXPECT_THAT([&] { knn.predict(wide.view()); },
              ThrowsMessage<Error>(HasSubstr("probes have dimension 3 but the gallery has dimension 2")));
  const Points nan{{0, NAN}, 1, 2};
  EXPECT_THAT([&] { knn.predict(nan.view()); }, ThrowsMessage<Error>(HasSubstr("KNN probes: row 0 column 1 is nan")));
  EXPECT_THAT([&] { KnnClassifier(nan.view(), {1}, options(1, Metric::l2)); },
              ThrowsMessage<Error>(HasSubstr("KNN gallery: row 0 column 1")));
  EXPECT_THAT([] { majority_label({}); }, ThrowsMessage<Error>(HasSubstr("at least one label")));
}

}  // namespace
}  // namespace stride::eval
