#include "stride/gallery/template_index.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gallery_test_support.h"

namespace stride::gallery {
namespace {

TEST(TemplateIndex, ScoresAreCosineSimilaritiesAndEachPersonAppearsOnceWithTheBest) {
  TemplateIndex index(2);
  index.add(1, "a", std::vector<float>{1, 0});
  index.add(2, "a", std::vector<float>{0, 1});
  index.add(3, "b", std::vector<float>{1, 1});
  EXPECT_EQ(index.size(), 3);
  const std::vector<Candidate> along_x = index.search(std::vector<float>{2, 0}, 3);
  ASSERT_EQ(along_x.size(), 2u);
  EXPECT_EQ(along_x[0].label, "a");
  EXPECT_NEAR(along_x[0].score, 1, 1e-6);
  EXPECT_EQ(along_x[1].label, "b");
  EXPECT_NEAR(along_x[1].score, std::sqrt(0.5), 1e-6);
  const std::vector<Candidate> along_y = index.search(std::vector<float>{0, 3}, 3);
  EXPECT_EQ(along_y[0].label, "a");  // through its second template
  EXPECT_NEAR(along_y[0].score, 1, 1e-6);
  const std::vector<Candidate> diagonal = index.search(std::vector<float>{-1, -1}, 3);
  EXPECT_EQ(diagonal[0].label, "a");  // both a's templates at 135°: −0.707; b opposite: −1
  EXPECT_NEAR(diagonal[0].score, -std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(diagonal[1].score, -1, 1e-6);
  // k = 1: the single nearest template's person only.
  const std::vector<Candidate> nearest = index.search(std::vector<float>{1, 0.9f}, 1);
  ASSERT_EQ(nearest.size(), 1u);
  EXPECT_EQ(nearest[0].label, "b");
}

TEST(TemplateIndex, RefusesVectorsOfAnotherLength) {
  TemplateIndex index(3);
  expect_one_line_error([&] { index.add(1, "a", std::vector<float>{1, 0}); }, "template 1 has 2 values");
  expect_one_line_error([&] { index.search(std::vector<float>{1}, 1); }, "a probe of 1 values against templates of 3");
  EXPECT_TRUE(index.search(std::vector<float>{1, 0, 0}, 5).empty());
}

}  // namespace
}  // namespace stride::gallery
