#pragma once
// How well tracks follow the true walkers, by the measures the tracking literature reports:
// CLEAR MOT (Bernardin & Stiefelhagen 2008: MOTA, MOTP, identity switches) and the identity
// measures (Ristani et al. 2016: IDF1 from the one-to-one pairing of true and tracked identities
// that maximises the frames they share), a box matching its truth at IoU >= 0.5; and, where label
// images of both are given, how well the tracked masks cover the true ones (mean IoU per match).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "stride/video/mot_csv.h"

namespace stride::video {

struct TrackingScore {
  int64_t truth_boxes = 0, tracked_boxes = 0;
  int64_t matches = 0, misses = 0, false_positives = 0, id_switches = 0;
  int64_t truth_ids = 0, track_ids = 0;
  double mota = 0, motp = 0;  // motp: mean IoU of the matched boxes
  int64_t idtp = 0;
  double idf1 = 0, id_precision = 0, id_recall = 0;
  std::optional<double> mask_iou;  // mean over matched boxes whose masks were compared
  int64_t masks_compared = 0;
};

inline constexpr double kMatchIou = 0.5;

// Scores `tracks` against `truth` (MOTChallenge rows, any order).
TrackingScore score_tracks(const std::vector<MotRow>& truth, const std::vector<MotRow>& tracks);

// As above, and mask IoU from label images (16-bit PNG per frame, DIR/000001.png, pixel = id, 0 =
// nobody) of the truth and of the tracks. Throws stride::Error naming a missing or unreadable one.
TrackingScore score_tracks(const std::vector<MotRow>& truth, const std::vector<MotRow>& tracks,
                           const std::filesystem::path& truth_masks, const std::filesystem::path& track_masks);

// The label image file of a frame (from 1) in a mask folder.
std::filesystem::path label_image_path(const std::filesystem::path& folder, int64_t frame);

}  // namespace stride::video
