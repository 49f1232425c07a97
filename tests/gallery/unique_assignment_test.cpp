#include "stride/gallery/unique_assignment.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace stride::gallery {
namespace {

using Scores = std::vector<std::vector<double>>;
using Assignment = std::vector<std::optional<size_t>>;

// How good an assignment is: probes named first, then their total score.
std::pair<size_t, double> quality(const Scores& scores, const Assignment& a) {
  std::pair<size_t, double> q{0, 0};
  for (size_t p = 0; p < a.size(); ++p)
    if (a[p]) {
      ++q.first;
      q.second += scores[p][*a[p]];
    }
  return q;
}

// The oracle: every one-to-one partial assignment over eligible pairs, tried in turn.
void best_by_enumeration(const Scores& scores, double threshold, size_t probe, std::vector<bool>& taken,
                         Assignment& current, std::pair<size_t, double>& best) {
  if (probe == scores.size()) {
    const auto q = quality(scores, current);
    if (q.first > best.first || (q.first == best.first && q.second > best.second)) best = q;
    return;
  }
  current[probe] = std::nullopt;
  best_by_enumeration(scores, threshold, probe + 1, taken, current, best);
  for (size_t q = 0; q < scores[probe].size(); ++q) {
    if (taken[q] || scores[probe][q] < threshold) continue;
    taken[q] = true;
    current[probe] = q;
    best_by_enumeration(scores, threshold, probe + 1, taken, current, best);
    taken[q] = false;
  }
  current[probe] = std::nullopt;
}

TEST(UniqueAssignment, TwoProbesPreferringOnePersonAreBothNamed) {
  // Both probes are most like person 0; the first is nearly as like person 1, the second is not.
  const Scores scores{{0.9, 0.8}, {0.85, 0.1}};
  EXPECT_EQ(assign_unique_identities(scores, 0.5), (Assignment{1, 0}));
}

TEST(UniqueAssignment, BelowTheThresholdOrWithoutAPersonLeftAProbeIsUnknown) {
  EXPECT_EQ(assign_unique_identities({{0.4}}, 0.5), (Assignment{std::nullopt}));
  EXPECT_EQ(assign_unique_identities({{0.9}, {0.8}}, 0.5), (Assignment{0, std::nullopt}));
  EXPECT_EQ(assign_unique_identities({{0.6, 0.2}, {0.7, 0.3}}, 0.5), (Assignment{std::nullopt, 0}));
  EXPECT_EQ(assign_unique_identities({{}, {}}, 0.5), (Assignment{std::nullopt, std::nullopt}));
  EXPECT_TRUE(assign_unique_identities({}, 0.5).empty());
}

TEST(UniqueAssignment, MatchesTheBestAssignmentByEnumerationAndNeverGivesAnIdentityTwice) {
  std::mt19937 engine(7);
  std::uniform_real_distribution<double> score(-1, 1);
  std::uniform_int_distribution<size_t> size(1, 5);
  for (int trial = 0; trial < 300; ++trial) {
    const size_t probes = size(engine), persons = size(engine);
    Scores scores(probes, std::vector<double>(persons));
    for (auto& row : scores)
      for (double& s : row) s = score(engine);
    const double threshold = score(engine);
    const Assignment a = assign_unique_identities(scores, threshold);
    ASSERT_EQ(a.size(), probes);
    std::set<size_t> given;
    for (size_t p = 0; p < probes; ++p)
      if (a[p]) {
        EXPECT_TRUE(given.insert(*a[p]).second) << "trial " << trial << ": person " << *a[p] << " twice";
        EXPECT_GE(scores[p][*a[p]], threshold);
      }
    std::vector<bool> taken(persons, false);
    Assignment current(probes);
    std::pair<size_t, double> best{0, 0};
    best_by_enumeration(scores, threshold, 0, taken, current, best);
    const auto q = quality(scores, a);
    EXPECT_EQ(q.first, best.first) << "trial " << trial;
    EXPECT_NEAR(q.second, best.second, 1e-9) << "trial " << trial;
  }
}

}  // namespace
}  // namespace stride::gallery
