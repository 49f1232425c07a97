#include "stride/eval/casia_b_evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "eval/gait_fixture.h"

namespace stride::eval {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr double kTol = 1e-9;
constexpr double kThird = 100.0 / 3;

KnnOptions knn(int k, Metric metric) {
  KnnOptions o;
  o.k = k;
  o.metric = metric;
  return o;
}

bool keep_all(const GaitSample&) { return true; }

CasiaBResult evaluate_with_knn(const testing::GaitFixture& f, const KnnOptions& options = {}) {
  KnnIdentifier identifier(f.view(), f.samples, options);
  return evaluate_casia_b(f.samples, identifier);
}

TEST(CasiaBEvaluation, EveryProbeViewAgainstEveryGalleryViewByHand) {
  const testing::GaitFixture f = testing::casia_b_fixture();
  // k = 3 votes among three of a subject's four identical gallery copies: the same answers as k = 1.
  for (const KnnOptions& options : {knn(1, Metric::l2), knn(3, Metric::cosine), knn(1, Metric::l1)}) {
    const CasiaBResult r = evaluate_with_knn(f, options);
    EXPECT_THAT(r.views, ElementsAre(0, 90, 180));
    ASSERT_EQ(r.conditions.size(), 3u);
    const CasiaBCondition &nm = r.conditions[0], &bg = r.conditions[1], &cl = r.conditions[2];
    EXPECT_EQ(nm.probe_set, "NM#5-6");
    EXPECT_EQ(bg.probe_set, "BG#1-2");
    EXPECT_EQ(cl.probe_set, "CL#1-2");
    // Two sequences of each of three subjects at each of three views.
    for (const CasiaBCondition& c : r.conditions) EXPECT_EQ(c.probes, 18);
    // NM: sigma_0 and sigma_90 agree on subject 3, sigma_90 and sigma_180 on subject 1,
    // sigma_0 and sigma_180 on none; same views agree everywhere.
    EXPECT_THAT(nm.by_gallery_view[0],
                ElementsAre(DoubleNear(100, kTol), DoubleNear(kThird, kTol), DoubleNear(0, kTol)));
    EXPECT_THAT(nm.by_gallery_view[1],
                ElementsAre(DoubleNear(kThird, kTol), DoubleNear(100, kTol), DoubleNear(kThird, kTol)));
    EXPECT_THAT(nm.by_gallery_view[2],
                ElementsAre(DoubleNear(0, kTol), DoubleNear(kThird, kTol), DoubleNear(100, kTol)));
    // The identical view (100 %) is left out: view 0 is (33.3 + 0) / 2, not (100 + 33.3 + 0) / 3.
    EXPECT_THAT(nm.per_probe_view,
                ElementsAre(DoubleNear(50.0 / 3, kTol), DoubleNear(kThird, kTol), DoubleNear(50.0 / 3, kTol)));
    EXPECT_NEAR(nm.mean, 200.0 / 9, kTol);
    // BG: right against gallery 0 always, gallery 90 for subject 3 only, gallery 180 never.
    for (const auto& row : bg.by_gallery_view)
      EXPECT_THAT(row, ElementsAre(DoubleNear(100, kTol), DoubleNear(kThird, kTol), DoubleNear(0, kTol)));
    EXPECT_THAT(bg.per_probe_view,
                ElementsAre(DoubleNear(50.0 / 3, kTol), DoubleNear(50, kTol), DoubleNear(200.0 / 3, kTol)));
    EXPECT_NEAR(bg.mean, 400.0 / 9, kTol);
    // CL: half NM-like, half BG-like.
    EXPECT_THAT(cl.per_probe_view,
                ElementsAre(DoubleNear(50.0 / 3, kTol), DoubleNear(125.0 / 3, kTol), DoubleNear(125.0 / 3, kTol)));
    EXPECT_NEAR(cl.mean, kThird, kTol);
    EXPECT_NEAR(r.mean, kThird, kTol);
  }
}

TEST(CasiaBEvaluation, SampleOrderDoesNotMatter) {
  const testing::GaitFixture f = testing::casia_b_fixture();
  const CasiaBResult a = evaluate_with_knn(f), b = evaluate_with_knn(f.filtered(keep_all, true));
  for (size_t c = 0; c < 3; ++c) EXPECT_EQ(a.conditions[c].by_gallery_view, b.conditions[c].by_gallery_view);
}

TEST(CasiaBEvaluation, SoftmaxPredictionsIgnoreTheGalleryView) {
  const testing::GaitFixture f = testing::casia_b_fixture();
  std::vector<int64_t> predicted = f.true_subjects();
  for (size_t i = 0; i < f.samples.size(); ++i)  // subject 1's bags are taken for subject 2
    if (f.samples[i].subject == 1 && f.samples[i].condition == "bg") predicted[i] = 2;
  FixedPredictions softmax(predicted);
  const CasiaBResult r = evaluate_casia_b(f.samples, softmax);
  EXPECT_THAT(r.conditions[0].per_probe_view, ElementsAre(100, 100, 100));
  EXPECT_THAT(r.conditions[1].per_probe_view,
              ElementsAre(DoubleNear(200.0 / 3, kTol), DoubleNear(200.0 / 3, kTol), DoubleNear(200.0 / 3, kTol)));
  EXPECT_NEAR(r.mean, (100 + 200.0 / 3 + 100) / 3, kTol);
}

// The fixture without the samples `drop` matches.
template <typename Drop>
testing::GaitFixture without(Drop drop) {
  return testing::casia_b_fixture().filtered([&drop](const GaitSample& s) { return !drop(s); });
}

TEST(CasiaBEvaluation, RefusesIncompleteTestSetsClearly) {
  EXPECT_THAT([] { evaluate_with_knn(without([](const GaitSample& s) { return s.condition == "bg"; })); },
              ThrowsMessage<Error>(HasSubstr("CASIA-B evaluation has no samples for probe condition BG#1-2")));
  EXPECT_THAT(
      [] { evaluate_with_knn(without([](const GaitSample& s) { return s.condition == "nm" && s.sequence <= 4; })); },
      ThrowsMessage<Error>(HasSubstr("no gallery samples (NM#1-4)")));
  EXPECT_THAT(
      [] { evaluate_with_knn(without([](const GaitSample& s) { return s.condition == "cl" && s.view == 90; })); },
      ThrowsMessage<Error>(HasSubstr("CL#1-2 has no samples at view 90")));
  EXPECT_THAT([] { evaluate_with_knn(without([](const GaitSample& s) { return s.view != 0; })); },
              ThrowsMessage<Error>(HasSubstr("at least two views")));
}

TEST(CasiaBEvaluation, RefusesSamplesOutsideTheProtocolClearly) {
  testing::GaitFixture f = testing::casia_b_fixture();
  f.add({2, "nm", 7, 90}, 0);
  EXPECT_THAT(
      [&] { evaluate_with_knn(f); },
      ThrowsMessage<Error>(HasSubstr("sample 90 (subject 2, condition 'nm', sequence 7, view 90) is in no set")));
  f = testing::casia_b_fixture();
  f.add({2, "b", 1, 90}, 0);
  EXPECT_THAT([&] { evaluate_with_knn(f); }, ThrowsMessage<Error>(HasSubstr("condition 'b'")));
  f = testing::casia_b_fixture();
  f.add({2, "bg", 1, 45}, 0);
  EXPECT_THAT([&] { evaluate_with_knn(f); }, ThrowsMessage<Error>(HasSubstr("has view 45, which the gallery lacks")));
}

TEST(CasiaBEvaluation, RefusesMismatchedClassifiersClearly) {
  const testing::GaitFixture f = testing::casia_b_fixture();
  FixedPredictions too_few(std::vector<int64_t>(5, 1));
  EXPECT_THAT([&] { evaluate_casia_b(f.samples, too_few); },
              ThrowsMessage<Error>(HasSubstr("covers 5 rows but there are 90 samples")));
  const std::span<const GaitSample> fewer(f.samples.data(), 10);
  EXPECT_THAT([&] { KnnIdentifier(f.view(), fewer, {}); },
              ThrowsMessage<Error>(HasSubstr("90 feature rows for 10 samples")));
  // Each view's gallery holds 3 subjects x 4 sequences.
  EXPECT_THAT(
      [&] { evaluate_with_knn(f, knn(13, Metric::l2)); },
      ThrowsMessage<Error>(HasSubstr("k = 13 is out of range: it must be between 1 and the gallery size (12)")));
}

}  // namespace
}  // namespace stride::eval
