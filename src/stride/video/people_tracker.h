#pragma once
// Detections joined into tracks across frames, SORT-style (Bewley et al. 2016): a constant-velocity
// Kalman filter per track predicts its box, predicted boxes and detections are paired by the
// Hungarian method on 1 - IoU, and a track unpaired for a while keeps coasting on its prediction,
// so that a walker hidden for a moment (behind a pillar, behind another walker) keeps its id.
// Pairs also weigh appearance (grey-level histograms of the upper and lower body), so that two
// walkers who crossed are told apart by their clothes. Optionally a visual tracker (KCF or CSRT) per track follows the walker's appearance while no
// detection is paired with it, and its box corrects the prediction.
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "stride/video/person_detector.h"

namespace stride::video {

enum class TrackerKind { iou, kcf, csrt };
TrackerKind parse_tracker(const std::string& name);  // "iou", "kcf", "csrt"; stride::Error otherwise

struct TrackerOptions {
  TrackerKind kind = TrackerKind::iou;
  double min_iou = 0.2;  // a pair whose buffered boxes overlap less than this is no pair
  int min_hits = 3;      // detections before a track is reported (one-frame blobs never are)
  int max_age = 50;      // frames a track coasts unpaired before it ends (2 s at 25 fps)
};

// A confirmed track's state in one frame where it was paired with a detection, or inside a group.
struct TrackedPerson {
  int64_t id = 0;
  Box box;
  cv::Mat mask;  // box-sized; the paired detection's, or this walker's share of a group's blob
  double conf = 1;
  bool grouped = false;  // in a blob with others: its mask is a guess, no silhouette for gait
};

class PeopleTracker {
 public:
  explicit PeopleTracker(const TrackerOptions& options);
  ~PeopleTracker();
  // Advances by one frame (CV_8UC3) with its detections; returns the confirmed tracks paired in it.
  std::vector<TrackedPerson> update(const cv::Mat& frame, std::vector<Detection> detections);
  int64_t tracks_started() const { return next_id_ - 1; }

 private:
  struct Track;
  TrackerOptions options_;
  std::vector<std::unique_ptr<Track>> tracks_;
  int64_t next_id_ = 1;
};

}  // namespace stride::video
