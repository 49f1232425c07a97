#include "stride/video/walk_identification.h"

#include <gtest/gtest.h>

namespace stride::video {
namespace {

TrackWindow window(int64_t track, int64_t first, int64_t last) { return {track, first, last, Tensor()}; }

// Two persons, "a" along the first axis and "b" along the second, in a 2-d template space.
gallery::TemplateIndex two_persons() {
  gallery::TemplateIndex index(2);
  const float a[] = {1, 0}, b[] = {0, 1};
  index.add(1, "a", a);
  index.add(2, "b", b);
  return index;
}

TEST(WalkIdentification, NoPersonIsNamedTwiceAtOneMoment) {
  const gallery::TemplateIndex index = two_persons();
  // Tracks 1 and 2 walk at the same time and both look most like "a"; track 2 more so, and
  // track 1 is like "b" too. Track 3 walks later, also like "a".
  const std::vector<TrackWindow> windows = {window(1, 1, 30), window(2, 5, 34), window(3, 100, 129)};
  const std::vector<std::vector<float>> features = {{0.8f, 0.6f}, {1.0f, 0.1f}, {1.0f, 0.05f}};
  const auto answers = identify_windows(windows, features, index, 0.5, 30);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[1].identity, "a");
  EXPECT_EQ(answers[0].identity, "b") << "a is walking elsewhere at that moment";
  EXPECT_NEAR(answers[0].score, 0.6, 1e-6);
  EXPECT_EQ(answers[2].identity, "a") << "another moment";
  // Below the threshold: unknown, with the best candidate's score.
  const auto strict = identify_windows({window(1, 1, 30)}, {{0.8f, 0.6f}}, index, 0.9, 30);
  EXPECT_FALSE(strict[0].identity.has_value());
  EXPECT_NEAR(strict[0].score, 0.8, 1e-6);
}

TEST(WalkIdentification, ATracksTruthIsTheIdItsBoxesMatchMost) {
  std::vector<MotRow> truth, tracks;
  for (int f = 1; f <= 10; ++f) {
    truth.push_back({f, 75, {0, 0, 20, 50}, 1});
    truth.push_back({f, 80, {100, 0, 20, 50}, 1});
    // Track 4 is on 75 for 7 frames, then jumps to 80; track 5 is on no one.
    tracks.push_back({f, 4, {f <= 7 ? 0.0 : 100.0, 0, 20, 50}, 1});
    tracks.push_back({f, 5, {300, 0, 20, 50}, 1});
  }
  const auto t = track_truth(tracks, truth);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.at(4), 75);
}

TEST(WalkIdentification, AnswersScoredAsMatedAndNonMatedSearches) {
  // Track 1 is enrolled subject 75 ("p75"), track 2 is 80 (not enrolled), track 3 has no truth.
  const std::map<int64_t, int64_t> truth = {{1, 75}, {2, 80}};
  const std::map<int64_t, std::string> labels = {{75, "p75"}};
  std::vector<WindowAnswer> answers = {
      {1, 1, 30, {{"p75", 0.9}}, std::string("p75"), 0.9},  // named rightly
      {1, 31, 60, {{"q", 0.8}}, std::string("q"), 0.8},     // named wrongly
      {1, 61, 90, {{"p75", 0.3}}, std::nullopt, 0.3},       // missed
      {2, 1, 30, {{"p75", 0.7}}, std::string("p75"), 0.7},  // a false positive
      {2, 31, 60, {{"p75", 0.2}}, std::nullopt, 0.2},       // rightly unknown
      {3, 1, 30, {{"p75", 0.9}}, std::string("p75"), 0.9},  // no truth: not counted
  };
  const AnswerScore s = score_answers(answers, truth, labels);
  EXPECT_EQ(s.mated.size(), 3u);
  EXPECT_EQ(s.non_mated.size(), 2u);
  EXPECT_EQ(s.named_rightly, 1);
  EXPECT_EQ(s.named_wrongly, 1);
  EXPECT_EQ(s.false_positives, 1);
  EXPECT_DOUBLE_EQ(s.dir(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(s.fpir(), 0.5);
  EXPECT_EQ(s.mated[0].mate, "p75");
}

}  // namespace
}  // namespace stride::video
