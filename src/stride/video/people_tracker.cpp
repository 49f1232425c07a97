#include "stride/video/people_tracker.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
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

Box box_of_state(const cv::Mat& s) {
  const double w = std::max(1.0f, s.at<float>(2)), h = std::max(1.0f, s.at<float>(3));
  return {s.at<float>(0) - w / 2, s.at<float>(1) - h / 2, w, h};
}

// The box grown by `share` of its size on every side: pairing by the IoU of grown boxes (Yang et
// al. 2023, C-BIoU) still pairs a walker whose box moved or changed shape more than it overlaps.
Box buffered(const Box& b, double share) {
  return {b.x - share * b.w, b.y - share * b.h, b.w * (1 + 2 * share), b.h * (1 + 2 * share)};
}

// Boxes are grown by 30 % of their size for pairing, a coasting track's by 10 % more each frame.
constexpr double kBuffer = 0.3, kBufferGrowth = 0.1;
// A cost no pair is made at: every real pairing costs less (overlap below 1, centre distance below
// 1.75, and appearance adds below 0.7).
constexpr double kNoPair = 3.0;
constexpr double kMaxCentreDistance = 0.75;  // in walker heights
// Per frame, how much of its tallest box a walker's height keeps (a second: 60 %).
constexpr double kHeightMemory = 0.98;
// Appearance weighs twice as much as overlap; walkers this unlike are never the same walker.
constexpr double kAppearanceWeight = 2.0, kMaxAppearanceDistance = 0.35;
// How fast a track's appearance follows its detections: a walker's histogram changes with its pose.
constexpr float kAppearanceRate = 0.1f;

// `height`: the walker's height in pixels as last seen whole (a box cut by a pillar is shorter).
double pairing_cost(bool confirmed, const Box& grown, const Box& predicted, double height, const Box& detected,
                    double min_iou) {
  const double overlap = iou(grown, buffered(detected, kBuffer));
  if (overlap >= min_iou) return 1.0 - overlap;
  if (!confirmed) return kNoPair;
  const double dx = (predicted.x + predicted.w / 2) - (detected.x + detected.w / 2);
  const double dy = (predicted.y + predicted.h / 2) - (detected.y + detected.h / 2);
  const double distance = std::sqrt(dx * dx + dy * dy) / std::max({predicted.h, detected.h, height});
  return distance <= kMaxCentreDistance ? 1.0 + distance : kNoPair;
}

// Added to a pairing's cost: nothing for a track without an appearance yet, kNoPair when unlike.
double appearance_cost(const cv::Mat& track, const cv::Mat& detection) {
  if (track.empty() || detection.empty()) return 0;
  const double d = appearance_distance(track, detection);
  return d > kMaxAppearanceDistance ? kNoPair : kAppearanceWeight * d;
}

// One walker's part of a group's blob: its box in the frame and its box-sized mask (empty: none).
struct Share {
  Box box;
  cv::Mat mask;
};

// Each pixel of the blob goes to the walker whose predicted box holds it — the one whose centre
// column is nearest where several do (the nearer walker's body hides the other's there, but which
// is nearer is unknown) — or to the nearest centre column when none does.
std::vector<Share> share_out(const Detection& d, const std::vector<Box>& predicted) {
  const cv::Rect blob(static_cast<int>(d.box.x), static_cast<int>(d.box.y), d.mask.cols, d.mask.rows);
  cv::Mat owner(d.mask.size(), CV_32SC1, cv::Scalar(-1));
  for (int y = 0; y < d.mask.rows; ++y)
    for (int x = 0; x < d.mask.cols; ++x) {
      if (!d.mask.at<uint8_t>(y, x)) continue;
      const double px = blob.x + x + 0.5, py = blob.y + y + 0.5;
      int best = -1;
      double best_distance = 0;
      bool best_holds = false;
      for (size_t k = 0; k < predicted.size(); ++k) {
        const Box& b = predicted[k];
        const bool holds = px >= b.x && px < b.x + b.w && py >= b.y && py < b.y + b.h;
        const double distance = std::abs(px - (b.x + b.w / 2));
        if (best < 0 || (holds && !best_holds) || (holds == best_holds && distance < best_distance)) {
          best = static_cast<int>(k);
          best_distance = distance;
          best_holds = holds;
        }
      }
      owner.at<int32_t>(y, x) = best;
    }
  std::vector<Share> shares(predicted.size());
  for (size_t k = 0; k < predicted.size(); ++k) {
    const cv::Mat mine = owner == static_cast<int>(k);
    if (cv::countNonZero(mine) == 0) continue;
    const cv::Rect r = cv::boundingRect(mine);
    shares[k].box = {static_cast<double>(blob.x + r.x), static_cast<double>(blob.y + r.y), static_cast<double>(r.width),
                     static_cast<double>(r.height)};
    shares[k].mask = mine(r).clone();
  }
  return shares;
}

cv::Mat share_appearance(const cv::Mat& grey, const Share& share) {
  const cv::Rect r(static_cast<int>(share.box.x), static_cast<int>(share.box.y), share.mask.cols, share.mask.rows);
  return appearance_of(grey(r), share.mask);
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
  cv::Mat appearance;  // a running mean of its detections' appearances
  double height = 0;   // the tallest recent box: the walker's height while parts of it are hidden
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
  // crossing): the blob is shared out among them by their predicted boxes for their reported boxes
  // and masks, while their filters coast on the predictions — a share's box, drawn from the
  // predictions themselves, would only confirm them, and swaps identities when it is wrong. A track
  // whose share does not look like it (a lost track's prediction drifting onto a passer-by, a walker
  // wholly hidden behind another) is no member: it coasts unseen.
  std::vector<bool> detection_used(detections.size(), false), grouped(tracks_.size(), false);
  cv::Mat grey;
  for (size_t c = 0; c < detections.size(); ++c) {
    std::vector<size_t> members;
    for (size_t r = 0; r < tracks_.size(); ++r)
      if (tracks_[r]->id != 0 && contains_centre(detections[c].box, tracks_[r]->predicted)) members.push_back(r);
    if (members.size() < 2) continue;
    if (grey.empty()) cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
    std::vector<Share> shares;
    for (size_t before = 0; before != members.size() && members.size() >= 2;) {
      before = members.size();
      std::vector<Box> predicted;
      for (size_t r : members) predicted.push_back(tracks_[r]->predicted);
      shares = share_out(detections[c], predicted);
      std::vector<size_t> alike;
      for (size_t k = 0; k < members.size(); ++k)
        if (!shares[k].mask.empty() &&
            appearance_cost(tracks_[members[k]]->appearance, share_appearance(grey, shares[k])) < kNoPair)
          alike.push_back(members[k]);
      members = alike;
    }
    if (members.size() < 2) continue;
    detection_used[c] = true;
    for (size_t k = 0; k < members.size(); ++k) {
      Track& t = *tracks_[members[k]];
      grouped[members[k]] = true;
      t.unpaired = 0;
      out.push_back({t.id, shares[k].box, shares[k].mask, detections[c].conf, true});
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
      cost[i * cols.size() + j] = pairing_cost(t.id != 0, grown, t.predicted, t.height, detections[cols[j]].box, options_.min_iou) +
                                  appearance_cost(t.appearance, detections[cols[j]].appearance);
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
    t.height = std::max(d.box.h, kHeightMemory * t.height);
    t.appearance = t.appearance.empty() ? d.appearance.clone()
                                        : (1 - kAppearanceRate) * t.appearance + kAppearanceRate * d.appearance;
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
    t->appearance = detections[c].appearance.clone();
    t->height = detections[c].box.h;
    if (options_.min_hits <= 1) {
      t->id = next_id_++;
      out.push_back({t->id, detections[c].box, std::move(detections[c].mask), detections[c].conf});
    }
    tracks_.push_back(std::move(t));
  }
  return out;
}

}  // namespace stride::video
