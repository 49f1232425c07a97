#include "stride/eval/subject_split.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>

#include "stride/core/error.h"

namespace stride::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

std::vector<int> ids(int first, int count) {
  std::vector<int> v(static_cast<size_t>(count));
  std::iota(v.begin(), v.end(), first);
  return v;
}

TEST(SubjectSplit, CasiaBTakesTheFirst74ForTraining) {
  const SubjectSplit s = casia_b_split(ids(1, 124));
  EXPECT_EQ(s.train, ids(1, 74));
  EXPECT_TRUE(s.validation.empty());
  EXPECT_EQ(s.test, ids(75, 50));
}

TEST(SubjectSplit, CasiaBWithAGivenCountSortsAndDeduplicates) {
  const SubjectSplit s = casia_b_split(std::vector<int>{9, 3, 5, 3, 7}, 2);
  EXPECT_THAT(s.train, ElementsAre(3, 5));
  EXPECT_THAT(s.test, ElementsAre(7, 9));
  EXPECT_THAT([] { casia_b_split(ids(1, 10)); },
              ThrowsMessage<Error>(HasSubstr("10 subjects with 74 for training leaves no test subject")));
  EXPECT_THAT([] { casia_b_split(ids(1, 10), -1); }, ThrowsMessage<Error>(HasSubstr("0 <= train count < 10")));
}

TEST(SubjectSplit, TumGaidIs100And50And155) {
  const SubjectSplit s = tum_gaid_split(ids(1, 305));
  EXPECT_EQ(s.train, ids(1, 100));
  EXPECT_EQ(s.validation, ids(101, 50));
  EXPECT_EQ(s.test, ids(151, 155));
}

TEST(SubjectSplit, TumGaidSplitsOtherCountsInProportion) {
  // 61 = 305 / 5: 20 / 10 / 31.
  const SubjectSplit s = tum_gaid_split(ids(1, 61));
  EXPECT_EQ(s.train.size(), 20u);
  EXPECT_EQ(s.validation.size(), 10u);
  EXPECT_EQ(s.test.size(), 31u);
  // 3 subjects: 0.98 -> 1 train, 0.49 -> 0 validation, 2 test.
  const SubjectSplit tiny = tum_gaid_split(std::vector<int>{30, 10, 20});
  EXPECT_THAT(tiny.train, ElementsAre(10));
  EXPECT_TRUE(tiny.validation.empty());
  EXPECT_THAT(tiny.test, ElementsAre(20, 30));
  EXPECT_THAT([] { tum_gaid_split(std::vector<int>{}); }, ThrowsMessage<Error>(HasSubstr("at least one subject")));
}

}  // namespace
}  // namespace stride::eval
