#include "stride/gallery/open_set_evaluation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gallery_test_support.h"

namespace stride::gallery {
namespace {

TEST(OpenSetSubjects, HalfEnrolledAQuarterEachToCalibrateAndToMeasure) {
  const OpenSetSubjects eight = open_set_subjects({8, 7, 6, 5, 4, 3, 2, 1, 1});
  EXPECT_EQ(eight.enrolled, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(eight.calibration, (std::vector<int>{5, 6}));
  EXPECT_EQ(eight.non_mated, (std::vector<int>{7, 8}));
  const OpenSetSubjects three = open_set_subjects({10, 20, 30});
  EXPECT_EQ(three.enrolled, (std::vector<int>{10}));
  EXPECT_EQ(three.calibration, (std::vector<int>{20}));
  EXPECT_EQ(three.non_mated, (std::vector<int>{30}));
  expect_one_line_error([] { open_set_subjects({1, 2}); }, "at least 3 test subjects");
}

// Four subjects with every recording of a subject at one point, CASIA-B's sequences in two views:
// 8 gallery and 12 probe recordings each. Subjects 1 and 2 are enrolled, 3 calibrates, 4 measures.
TEST(OpenSetEvaluation, FiguresMatchTheHandComputedOnes) {
  const auto point = [](int subject) -> std::vector<float> {
    switch (subject) {
      case 1:
        return {1, 0, 0};
      case 2:
        return {0.7f, 0.714f, 0};  // probed here, enrolled at (0,1,0) below
      case 3:
        return {0.6f, 0.8f, 0};  // top-1 score 0.8 against subject 2
      default:
        return {0.9f, 0, std::sqrt(1 - 0.81f)};  // 0.9 against subject 1
    }
  };
  std::vector<eval::GaitSample> samples;
  std::vector<float> values;
  for (int subject = 1; subject <= 4; ++subject)
    for (int view : {0, 90})
      for (auto [condition, count] : {std::pair{"nm", 6}, {"bg", 2}, {"cl", 2}})
        for (int sequence = 1; sequence <= count; ++sequence) {
          samples.push_back({subject, condition, sequence, view});
          const bool gallery = std::string(condition) == "nm" && sequence <= 4;
          // Subject 2 is enrolled at (0,1,0) and probed at (0.7,0.714,0): its own first, at 0.714.
          const std::vector<float> v = subject == 2 && gallery ? std::vector<float>{0, 1, 0} : point(subject);
          values.insert(values.end(), v.begin(), v.end());
        }
  const eval::MatrixView features(values, static_cast<int64_t>(samples.size()), 3, "features");
  const OpenSetReport r = evaluate_open_set(features, samples, eval::casia_b_protocol());
  EXPECT_EQ(r.templates, 16u);
  EXPECT_EQ(r.mated_searches, 24u);
  EXPECT_EQ(r.calibration_searches, 12u);
  EXPECT_EQ(r.non_mated_searches, 12u);
  EXPECT_DOUBLE_EQ(r.rank1, 1.0);  // subject 2's probes: 0.714 to its own, 0.7 to subject 1
  ASSERT_EQ(r.dir.size(), 3u);
  EXPECT_FALSE(r.dir[0].measurable);  // 12 calibration searches: not for 0.1 % or 1 %
  EXPECT_FALSE(r.dir[1].measurable);
  const DirAtFpir& at10 = r.dir[2];
  ASSERT_TRUE(at10.measurable);
  // ⌊0.1 · 12⌋ = 1 allowed, all 12 at 0.8: the threshold lies just above 0.8, over subject 2's 0.714.
  EXPECT_NEAR(at10.threshold, 0.8, 1e-6);
  EXPECT_GT(at10.threshold, 0.8);
  EXPECT_DOUBLE_EQ(at10.dir, 0.5);   // subject 1's 12 probes at 1.0, subject 2's 12 below
  EXPECT_DOUBLE_EQ(at10.fpir, 1.0);  // subject 4 at 0.9 against subject 1
}

}  // namespace
}  // namespace stride::gallery
