#include "stride/video/people_tracker.h"

#include <gtest/gtest.h>

#include <set>
#include <opencv2/imgproc.hpp>

namespace stride::video {
namespace {

// A detection of a uniformly grey person: a full mask and its appearance.
Detection person(double x, double y, double w, double h, int grey) {
  Detection d;
  d.box = {x, y, w, h};
  d.mask = cv::Mat(static_cast<int>(h), static_cast<int>(w), CV_8UC1, cv::Scalar(255));
  d.appearance = appearance_of(cv::Mat(d.mask.size(), CV_8UC1, cv::Scalar(grey)), d.mask);
  return d;
}

const cv::Mat kFrame(240, 640, CV_8UC3, cv::Scalar(0, 0, 0));

TEST(PeopleTracker, TwoWalkersKeepTheirIdsAndOneFrameBlobsAreNeverReported) {
  PeopleTracker tracker({});
  std::set<int64_t> left_ids, right_ids;
  for (int f = 0; f < 40; ++f) {
    std::vector<Detection> found = {person(100 + 4 * f, 50, 40, 120, 60), person(500 - 4 * f, 60, 40, 120, 200)};
    if (f == 20) found.push_back(person(300, 10, 30, 40, 120));  // noise, once
    for (const TrackedPerson& p : tracker.update(kFrame, found)) (p.box.x < 300 ? left_ids : right_ids).insert(p.id);
  }
  EXPECT_EQ(left_ids.size(), 1u);
  EXPECT_EQ(right_ids.size(), 1u);
  EXPECT_NE(*left_ids.begin(), *right_ids.begin());
  EXPECT_EQ(tracker.tracks_started(), 2) << "the one-frame blob never became a track";
}

TEST(PeopleTracker, AWalkerHiddenForAWhileComesBackUnderItsId) {
  PeopleTracker tracker({});
  int64_t before = 0, after = 0;
  for (int f = 0; f < 60; ++f) {
    std::vector<Detection> found;
    if (f < 20 || f >= 35) found.push_back(person(50 + 5 * f, 50, 40, 120, 90));  // unseen for 15 frames
    const auto people = tracker.update(kFrame, found);
    if (f == 19) before = people.at(0).id;
    if (f == 59) after = people.at(0).id;
  }
  EXPECT_NE(before, 0);
  EXPECT_EQ(before, after);
}

TEST(PeopleTracker, AWalkerCutByAPillarKeepsItsId) {
  // The box shrinks as the walker goes behind a pillar at x 300..330, then the part beyond it appears.
  PeopleTracker tracker({});
  std::set<int64_t> ids;
  for (int f = 0; f < 60; ++f) {
    const double left = 200 + 4 * f, right = left + 40;
    std::vector<Detection> found;
    if (right <= 300 || left >= 330) {
      found.push_back(person(left, 50, 40, 120, 90));
    } else if (left < 300) {
      found.push_back(person(left, 50, 300 - left, 120, 90));  // the part before the pillar
    } else if (right > 330) {
      found.push_back(person(330, 50, right - 330, 120, 90));  // the part beyond it
    }
    for (const TrackedPerson& p : tracker.update(kFrame, found)) ids.insert(p.id);
  }
  EXPECT_EQ(ids.size(), 1u);
}

TEST(PeopleTracker, UnlikeWalkersAreNotTakenForEachOther) {
  // Walker A is lost for 4 frames; then a walker who looks nothing like it appears where A's
  // prediction goes: it gets a new id, and A's id is not given to it.
  PeopleTracker tracker({});
  int64_t a = 0;
  std::set<int64_t> stranger;
  for (int f = 0; f < 40; ++f) {
    std::vector<Detection> found;
    if (f < 20) found.push_back(person(100 + 4 * f, 50, 40, 120, 30));
    if (f >= 24) found.push_back(person(100 + 4 * f, 50, 40, 120, 230));
    for (const TrackedPerson& p : tracker.update(kFrame, found)) {
      if (f < 20)
        a = p.id;
      else
        stranger.insert(p.id);
    }
  }
  ASSERT_NE(a, 0);
  EXPECT_EQ(stranger.count(a), 0u);
  EXPECT_FALSE(stranger.empty());
}

TEST(PersonDetector, ABodyCutAtTheWaistIsOnePerson) {
  PersonDetector detector({});
  const cv::Mat background(240, 320, CV_8UC3, cv::Scalar(120, 120, 120));
  for (int f = 0; f < 30; ++f) detector.detect(background);
  cv::Mat frame = background.clone();
  cv::rectangle(frame, cv::Rect(100, 40, 30, 60), cv::Scalar(20, 20, 20), cv::FILLED);   // upper body
  cv::rectangle(frame, cv::Rect(98, 112, 34, 80), cv::Scalar(230, 230, 230), cv::FILLED);  // legs, 12 rows below
  const auto found = detector.detect(frame);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(found[0].box.y, 40, 2);
  EXPECT_NEAR(found[0].box.h, 152, 3);
  // Two people side by side stay two.
  cv::rectangle(frame, cv::Rect(200, 40, 30, 150), cv::Scalar(20, 20, 20), cv::FILLED);
  EXPECT_EQ(detector.detect(frame).size(), 2u);
}

TEST(Appearance, DistanceIsZeroForTheSameAndOneForDisjointHistograms) {
  const cv::Mat mask(20, 10, CV_8UC1, cv::Scalar(255));
  const cv::Mat dark = appearance_of(cv::Mat(20, 10, CV_8UC1, cv::Scalar(10)), mask);
  const cv::Mat light = appearance_of(cv::Mat(20, 10, CV_8UC1, cv::Scalar(240)), mask);
  EXPECT_NEAR(appearance_distance(dark, dark), 0.0, 1e-6);
  EXPECT_NEAR(appearance_distance(dark, light), 1.0, 1e-6);
  EXPECT_NEAR(cv::sum(dark.colRange(0, 16))[0], 1.0, 1e-6) << "each half sums to 1";
}

}  // namespace
}  // namespace stride::video
