#include "stride/eval/tum_gaid_evaluation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "eval/gait_fixture.h"

namespace stride::eval {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr double kTol = 1e-9;

TEST(TumGaidEvaluation, RankOnePerProbeConditionByHand) {
  const testing::GaitFixture f = testing::tum_gaid_fixture();
  for (const Metric metric : {Metric::l1, Metric::l2, Metric::cosine}) {
    SCOPED_TRACE(metric_name(metric));
    KnnOptions options;
    options.metric = metric;
    KnnIdentifier identifier(f.view(), f.samples, options);
    const TumGaidResult r = evaluate_tum_gaid(f.samples, identifier);
    ASSERT_EQ(r.conditions.size(), 3u);
    // N: all 6 right; B: subject 1's b-01 wrong; S: only subject 3's two right.
    const TumGaidCondition &n = r.conditions[0], &b = r.conditions[1], &s = r.conditions[2];
    EXPECT_EQ(n.probe_set, "N5-N6");
    EXPECT_EQ(n.probes, 6);
    EXPECT_EQ(n.correct, 6);
    EXPECT_NEAR(n.accuracy, 100, kTol);
    EXPECT_EQ(b.probe_set, "B1-B2");
    EXPECT_EQ(b.correct, 5);
    EXPECT_NEAR(b.accuracy, 500.0 / 6, kTol);
    EXPECT_EQ(s.probe_set, "S1-S2");
    EXPECT_EQ(s.correct, 2);
    EXPECT_NEAR(s.accuracy, 200.0 / 6, kTol);
    EXPECT_NEAR(r.mean, 650.0 / 9, kTol);
  }
}

TEST(TumGaidEvaluation, SoftmaxPredictions) {
  const testing::GaitFixture f = testing::tum_gaid_fixture();
  std::vector<int64_t> predicted = f.true_subjects();
  predicted.back() = 1;  // subject 3's s-02
  FixedPredictions softmax(predicted);
  const TumGaidResult r = evaluate_tum_gaid(f.samples, softmax);
  EXPECT_EQ(r.conditions[0].correct, 6);
  EXPECT_EQ(r.conditions[1].correct, 6);
  EXPECT_EQ(r.conditions[2].correct, 5);
  EXPECT_NEAR(r.mean, (100 + 100 + 500.0 / 6) / 3, kTol);
}

TEST(TumGaidEvaluation, RefusesIncompleteOrForeignSamplesClearly) {
  const testing::GaitFixture f = testing::tum_gaid_fixture();
  const auto evaluate = [](const testing::GaitFixture& g) {
    KnnIdentifier identifier(g.view(), g.samples, {});
    return evaluate_tum_gaid(g.samples, identifier);
  };
  EXPECT_THAT([&] { evaluate(f.filtered([](const GaitSample& s) { return s.condition != "s"; })); },
              ThrowsMessage<Error>(HasSubstr("TUM-GAID evaluation has no samples for probe condition S1-S2")));
  EXPECT_THAT([&] { evaluate(f.filtered([](const GaitSample& s) { return s.condition != "n" || s.sequence > 4; })); },
              ThrowsMessage<Error>(HasSubstr("no gallery samples (N1-N4)")));
  testing::GaitFixture casia = f;
  casia.add({1, "nm", 1}, 0);
  EXPECT_THAT(
      [&] { evaluate(casia); },
      ThrowsMessage<Error>(HasSubstr("TUM-GAID sample 30 (subject 1, condition 'nm', sequence 1, view 0) is in no "
                                     "set of the protocol (gallery N1-N4, probes N5-N6, B1-B2, S1-S2)")));
}

}  // namespace
}  // namespace stride::eval
