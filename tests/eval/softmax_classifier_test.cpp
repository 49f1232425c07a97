#include "stride/eval/softmax_classifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace stride::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

const std::vector<float> kScores{
    0.1f, 2.0f, -1.0f, 0.5f,  // best 1, then 3, 0, 2
    3.0f, 3.0f, 1.0f,  3.0f,  // three-way tie: 0, 1, 3, then 2
    -5.f, -4.f, -3.f,  -2.f,  // ascending: 3, 2, 1, 0
};

TEST(Softmax, Top1IsTheArgmaxWithTheLowerClassOnTies) {
  EXPECT_THAT(top1_classes(MatrixView(kScores, 3, 4, "scores")), ElementsAre(1, 0, 3));
}

TEST(Softmax, TopKListsTheBestClassesFirst) {
  const MatrixView scores(kScores, 3, 4, "scores");
  EXPECT_THAT(top_k_classes(scores, 2), ElementsAre(1, 3, 0, 1, 3, 2));
  EXPECT_THAT(top_k_classes(scores, 4), ElementsAre(1, 3, 0, 2, 0, 1, 3, 2, 3, 2, 1, 0));
  EXPECT_EQ(top_k_classes(scores, 1), top1_classes(scores));
}

TEST(Softmax, ProbabilitiesByHandAndRankedLikeLogits) {
  // softmax(0, ln 2, ln 5) = (1, 2, 5) / 8
  const Tensor logits = Tensor::from_vector<float>({1, 3}, {0.0f, std::log(2.0f), std::log(5.0f)});
  EXPECT_THAT(softmax(logits).values<float>(),
              ::testing::Pointwise(::testing::FloatNear(1e-6f), {0.125f, 0.25f, 0.625f}));
  // Large logits would overflow exp without the shift by the row maximum.
  const Tensor big = Tensor::from_vector<float>({2, 4}, {1000, 1001, 999, 1000, 0.1f, 2.0f, -1.0f, 0.5f});
  const Tensor p = softmax(big);
  for (int r = 0; r < 2; ++r) {
    double sum = 0;
    for (int c = 0; c < 4; ++c) sum += p.values<float>()[static_cast<size_t>(r * 4 + c)];
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
  EXPECT_EQ(top1_classes(MatrixView(p, "p")), top1_classes(MatrixView(big, "logits")));
  EXPECT_EQ(top_k_classes(MatrixView(p, "p"), 4), top_k_classes(MatrixView(big, "logits"), 4));
}

TEST(Softmax, RefusesBadScoresClearly) {
  const MatrixView scores(kScores, 3, 4, "scores");
  EXPECT_THAT([&] { top_k_classes(scores, 0); },
              ThrowsMessage<Error>(HasSubstr("1 <= k <= 4 (the class count), got k = 0")));
  EXPECT_THAT([&] { top_k_classes(scores, 5); }, ThrowsMessage<Error>(HasSubstr("got k = 5")));
  const std::vector<float> with_nan{0, NAN};
  EXPECT_THAT([&] { top1_classes(MatrixView(with_nan, 1, 2, "s")); },
              ThrowsMessage<Error>(HasSubstr("classifier scores: row 0 column 1 is nan")));
  EXPECT_THAT([] { top1_classes(MatrixView(std::vector<float>{}, 2, 0, "s")); },
              ThrowsMessage<Error>(HasSubstr("no classes")));
  EXPECT_THAT(
      [] {
        softmax(Tensor::from_vector<float>({4}, {1, 2, 3, 4}));
      },
      ThrowsMessage<Error>(HasSubstr("softmax logits: expected an f32 tensor of shape [N, D], got f32 [4]")));
}

}  // namespace
}  // namespace stride::eval
