#include "stride/video/people_tracker.h"

#include <algorithm>
#include <cmath>
#include <opencv2/tracking.hpp>
#include <opencv2/video/tracking.hpp>

#include "stride/core/assignment.h"
#include "stride/core/error.h"

namespace stride::video {
namespace {

// State: centre x, centre y, width, height, and the centre's velocity; measured: the first four.
// Box size is a random walk without velocity: a box shrinking as a walker goes behind a pillar would
// otherwise be predicted to vanish.
cv::KalmanFilter box_filter(const Box& b) {
  cv::KalmanFilter kf(6, 4, 0, CV_32F);
  cv::setIdentity(kf.transitionMatrix);
  kf.transitionMatrix.at<float>(0, 4) = 1.0f;
  kf.transitionMatrix.at<float>(1, 5) = 1.0f;
  kf.measurementMatrix = cv::Mat::zeros(4, 6, CV_32F);
  for (int i = 0; i < 4; ++i) kf.measurementMatrix.at<float>(i, i) = 1.0f;
  // Boxes are measured to a few pixels; walkers change speed slowly.
  cv::setIdentity(kf.measurementNoiseCov, cv::Scalar::all(4.0));
  cv::setIdentity(kf.processNoiseCov, cv::Scalar::all(1.0));
  kf.processNoiseCov.at<float>(4, 4) = kf.processNoiseCov.at<float>(5, 5) = 0.05f;
  cv::setIdentity(kf.errorCovPost, cv::Scalar::all(10.0));
  kf.errorCovPost.at<float>(4, 4) = kf.errorCovPost.at<float>(5, 5) = 100.0f;
  kf.statePost = (cv::Mat_<float>(6, 1) << static_cast<float>(b.x + b.w / 2), static_cast<float>(b.y + b.h / 2),
                  static_cast<float>(b.w), static_cast<float>(b.h), 0, 0);
  return kf;
}

constexpr double kBuffer = 0.3, kBufferGrowth = 0.1;

Box box_of_state(const cv::Mat& s) {
  const double w = std::max(1.0f, s.at<float>(2)), h = std::max(1.0f, s.at<float>(3));
  return {s.at<float>(0) - w / 2, s.at<float>(1) - h / 2, w, h};
}

// The box grown by `share` of its size on every side: pairing by the IoU of grown boxes (Yang et
// al. 2023, C-BIoU) still pairs a walker whose box moved or changed shape more than it overlaps.
Box buffered(const Box& b, double share) {
  return {b.x - share * b.w, b.y - share * b.h, b.w * (1 + 2 * share), b.h * (1 + 2 * share)};
}

constexpr double kNoPair = 3.0, kMaxCentreDistance = 0.75;  // in box heights

double pairing_cost(bool confirmed, const Box& grown, const Box& predicted, const Box& detected, double min_iou) {
  const double overlap = iou(grown, buffered(detected, kBuffer));
  if (overlap >= min_iou) return 1.0 - overlap;
  if (!confirmed) return kNoPair;
  const double dx = (predicted.x + predicted.w / 2) - (detected.x + detected.w / 2);
  const double dy = (predicted.y + predicted.h / 2) - (detected.y + detected.h / 2);
  const double distance = std::sqrt(dx * dx + dy * dy) / std::max(predicted.h, detected.h);
  return distance <= kMaxCentreDistance ? 1.0 + distance : kNoPair;
}

bool contains_centre(const Box& outer, const Box& inner) {
  const double cx = inner.x + inner.w / 2, cy = inner.y + inner.h / 2;
  return cx >= outer.x && cx <= outer.x + outer.w && cy >= outer.y && cy <= outer.y + outer.h;
}

cv::Mat measurement(const Box& b) {
  return (cv::Mat_<float>(4, 1) << static_cast<float>(b.x + b.w / 2), static_cast<float>(b.y + b.h / 2),
          static_cast<float>(b.w), static_cast<float>(b.h));
}

cv::Rect to_rect(const Box& b) {
  return {static_cast<int>(b.x), static_cast<int>(b.y), std::max(1, static_cast<int>(b.w)),
          std::max(1, static_cast<int>(b.h))};
}

cv::Ptr<cv::Tracker> make_visual_tracker(TrackerKind kind) {
  if (kind == TrackerKind::kcf) return cv::TrackerKCF::create();
  return cv::TrackerCSRT::create();
}

}  // namespace

TrackerKind parse_tracker(const std::string& name) {
  if (name == "iou") return TrackerKind::iou;
  if (name == "kcf") return TrackerKind::kcf;
  if (name == "csrt") return TrackerKind::csrt;
  fail("--tracker {}: expected iou, kcf or csrt", name);
}

struct PeopleTracker::Track {
  int64_t id = 0;  // 0 until confirmed
  cv::KalmanFilter filter;
  Box predicted;
  int hits = 1;
  int unpaired = 0;  // frames since the last paired detection
  cv::Ptr<cv::Tracker> visual;
};

PeopleTracker::PeopleTracker(const TrackerOptions& options) : options_(options) {}
PeopleTracker::~PeopleTracker() = default;

std::vector<TrackedPerson> PeopleTracker::update(const cv::Mat& frame, std::vector<Detection> detections) {
  for (auto& t : tracks_) t->predicted = box_of_state(t->filter.predict());
  std::vector<TrackedPerson> out;

  // A detection holding the predicted centres of two or more confirmed tracks is a group (walkers
  // crossing): its box and mask are none of theirs alone, so they coast through it on their
  // predictions, kept alive and reported there, without a mask.
  std::vector<bool> detection_used(detections.size(), false), grouped(tracks_.size(), false);
  for (size_t c = 0; c < detections.size(); ++c) {
    std::vector<size_t> members;
    for (size_t r = 0; r < tracks_.size(); ++r)
      if (tracks_[r]->id != 0 && contains_centre(detections[c].box, tracks_[r]->predicted)) members.push_back(r);
    if (members.size() < 2) continue;
    detection_used[c] = true;
    for (size_t r : members) {
      grouped[r] = true;
      tracks_[r]->unpaired = 0;
      out.push_back({tracks_[r]->id, tracks_[r]->predicted, cv::Mat(), detections[c].conf});
    }
  }

  // The others paired by the Hungarian method on 1 - IoU of buffered boxes (a track's buffer grows
  // while it coasts, as its prediction grows uncertain); failing any overlap, on the distance of the
  // centres in box heights, dearer than any overlap: a walker coming out from behind a pillar shows
  // another part of the body than went in, its box elsewhere than the part seen last predicts.
  std::vector<size_t> rows, cols;
  for (size_t r = 0; r < tracks_.size(); ++r)
    if (!grouped[r]) rows.push_back(r);
  for (size_t c = 0; c < detections.size(); ++c)
    if (!detection_used[c]) cols.push_back(c);
  std::vector<double> cost(rows.size() * cols.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Track& t = *tracks_[rows[i]];
    const Box grown = buffered(t.predicted, std::min(1.0, kBuffer + kBufferGrowth * t.unpaired));
    for (size_t j = 0; j < cols.size(); ++j)
      cost[i * cols.size() + j] = pairing_cost(t.id != 0, grown, t.predicted, detections[cols[j]].box, options_.min_iou);
  }
  const std::vector<int64_t> pair =
      min_cost_assignment(cost, static_cast<int64_t>(rows.size()), static_cast<int64_t>(cols.size()));

  for (size_t i = 0; i < rows.size(); ++i) {
    Track& t = *tracks_[rows[i]];
    const int64_t j = pair[i];
    if (j < 0 || cost[i * cols.size() + static_cast<size_t>(j)] >= kNoPair) {
      ++t.unpaired;
      // Unseen by the detector, the walker may still be visible to its appearance tracker.
      cv::Rect seen;
      if (t.visual && t.visual->update(frame, seen)) {
        const Box b{static_cast<double>(seen.x), static_cast<double>(seen.y), static_cast<double>(seen.width),
                    static_cast<double>(seen.height)};
        t.filter.correct(measurement(b));
      }
      continue;
    }
    Detection& d = detections[cols[static_cast<size_t>(j)]];
    detection_used[cols[static_cast<size_t>(j)]] = true;
    t.filter.correct(measurement(d.box));
    ++t.hits;
    t.unpaired = 0;
    if (t.id == 0 && t.hits >= options_.min_hits) t.id = next_id_++;
    if (options_.kind != TrackerKind::iou) {
      t.visual = make_visual_tracker(options_.kind);
      t.visual->init(frame, to_rect(d.box) & cv::Rect(0, 0, frame.cols, frame.rows));
    }
    if (t.id != 0) out.push_back({t.id, d.box, std::move(d.mask), d.conf});
  }
  // A tentative track missed once is dropped (most are blobs of noise); a confirmed one coasts.
  std::erase_if(tracks_, [&](const std::unique_ptr<Track>& t) {
    return t->unpaired > (t->id == 0 ? 0 : options_.max_age);
  });
  for (size_t c = 0; c < detections.size(); ++c) {
    if (detection_used[c]) continue;
    auto t = std::make_unique<Track>();
    t->filter = box_filter(detections[c].box);
    t->predicted = detections[c].box;
    if (options_.min_hits <= 1) {
      t->id = next_id_++;
      out.push_back({t->id, detections[c].box, std::move(detections[c].mask), detections[c].conf});
    }
    tracks_.push_back(std::move(t));
  }
  return out;
}

}  // namespace stride::video
