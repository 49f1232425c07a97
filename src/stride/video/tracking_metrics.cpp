#include "stride/video/tracking_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "stride/core/assignment.h"
#include "stride/core/error.h"

namespace stride::video {
namespace {

using FrameRows = std::map<int64_t, std::vector<MotRow>>;

FrameRows by_frame(const std::vector<MotRow>& rows) {
  FrameRows frames;
  for (const MotRow& r : rows) frames[r.frame].push_back(r);
  return frames;
}

int64_t distinct_ids(const std::vector<MotRow>& rows) {
  std::set<int64_t> ids;
  for (const MotRow& r : rows) ids.insert(r.id);
  return static_cast<int64_t>(ids.size());
}

cv::Mat read_labels(const std::filesystem::path& folder, int64_t frame) {
  const std::filesystem::path path = label_image_path(folder, frame);
  cv::Mat labels = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  if (labels.empty()) fail("{}: missing or not an image (label images are 16-bit PNGs, one per frame)", path.string());
  if (labels.type() != CV_16UC1 && labels.type() != CV_8UC1)
    fail("{}: not a label image (expected one 8- or 16-bit channel)", path.string());
  labels.convertTo(labels, CV_32S);
  return labels;
}

double mask_iou(const cv::Mat& truth, int64_t truth_id, const cv::Mat& tracked, int64_t track_id) {
  if (truth.size() != tracked.size()) fail("label images of {}x{} and {}x{} pixels", truth.cols, truth.rows,
                                           tracked.cols, tracked.rows);
  const cv::Mat a = truth == static_cast<int>(truth_id), b = tracked == static_cast<int>(track_id);
  const int inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
  return uni == 0 ? 0.0 : static_cast<double>(inter) / uni;
}

// The identity measures: per (truth id, track id), the frames where their boxes match; the
// one-to-one pairing with the most such frames gives IDTP.
void score_identities(const FrameRows& truth, const FrameRows& tracks, TrackingScore& s) {
  std::map<int64_t, size_t> truth_index, track_index;
  for (const auto& [frame, rows] : truth)
    for (const MotRow& r : rows) truth_index.emplace(r.id, truth_index.size());
  for (const auto& [frame, rows] : tracks)
    for (const MotRow& r : rows) track_index.emplace(r.id, track_index.size());
  const auto n = static_cast<int64_t>(truth_index.size()), m = static_cast<int64_t>(track_index.size());
  std::vector<double> shared(static_cast<size_t>(n * m), 0.0);
  for (const auto& [frame, truth_rows] : truth) {
    const auto it = tracks.find(frame);
    if (it == tracks.end()) continue;
    for (const MotRow& g : truth_rows)
      for (const MotRow& t : it->second)
        if (iou(g.box, t.box) >= kMatchIou) shared[truth_index[g.id] * static_cast<size_t>(m) + track_index[t.id]] -= 1;
  }
  const std::vector<int64_t> pair = min_cost_assignment(shared, n, m);
  for (int64_t i = 0; i < n; ++i)
    if (pair[static_cast<size_t>(i)] >= 0)
      s.idtp -= static_cast<int64_t>(shared[static_cast<size_t>(i * m + pair[static_cast<size_t>(i)])]);
  const double total = static_cast<double>(s.truth_boxes + s.tracked_boxes);
  s.idf1 = total > 0 ? 2.0 * static_cast<double>(s.idtp) / total : 0.0;
  s.id_precision = s.tracked_boxes > 0 ? static_cast<double>(s.idtp) / static_cast<double>(s.tracked_boxes) : 0.0;
  s.id_recall = s.truth_boxes > 0 ? static_cast<double>(s.idtp) / static_cast<double>(s.truth_boxes) : 0.0;
}

TrackingScore score(const std::vector<MotRow>& truth_rows, const std::vector<MotRow>& track_rows,
                    const std::filesystem::path* truth_masks, const std::filesystem::path* track_masks) {
  TrackingScore s;
  const FrameRows truth = by_frame(truth_rows), tracks = by_frame(track_rows);
  s.truth_boxes = static_cast<int64_t>(truth_rows.size());
  s.tracked_boxes = static_cast<int64_t>(track_rows.size());
  s.truth_ids = distinct_ids(truth_rows);
  s.track_ids = distinct_ids(track_rows);

  // CLEAR MOT: a truth keeps last frame's track while they still match; the rest are paired anew
  // by the Hungarian method; a truth paired with another track than last time is an identity switch.
  std::map<int64_t, int64_t> last_track;  // truth id -> track id it was last matched with
  std::set<int64_t> frames;
  for (const auto& [f, rows] : truth) frames.insert(f);
  for (const auto& [f, rows] : tracks) frames.insert(f);
  double iou_sum = 0, mask_sum = 0;
  for (int64_t f : frames) {
    static const std::vector<MotRow> none;
    const auto gi = truth.find(f), ti = tracks.find(f);
    const std::vector<MotRow>& g = gi == truth.end() ? none : gi->second;
    const std::vector<MotRow>& t = ti == tracks.end() ? none : ti->second;
    std::vector<int64_t> match(g.size(), -1);
    std::vector<bool> taken(t.size(), false);
    for (size_t i = 0; i < g.size(); ++i) {
      const auto last = last_track.find(g[i].id);
      if (last == last_track.end()) continue;
      for (size_t j = 0; j < t.size(); ++j)
        if (!taken[j] && t[j].id == last->second && iou(g[i].box, t[j].box) >= kMatchIou) {
          match[i] = static_cast<int64_t>(j);
          taken[j] = true;
        }
    }
    std::vector<size_t> free_g, free_t;
    for (size_t i = 0; i < g.size(); ++i)
      if (match[i] < 0) free_g.push_back(i);
    for (size_t j = 0; j < t.size(); ++j)
      if (!taken[j]) free_t.push_back(j);
    std::vector<double> cost(free_g.size() * free_t.size());
    for (size_t a = 0; a < free_g.size(); ++a)
      for (size_t b = 0; b < free_t.size(); ++b) {
        const double o = iou(g[free_g[a]].box, t[free_t[b]].box);
        cost[a * free_t.size() + b] = o >= kMatchIou ? 1.0 - o : 2.0;  // 2: no pair
      }
    const auto pair = min_cost_assignment(cost, static_cast<int64_t>(free_g.size()), static_cast<int64_t>(free_t.size()));
    for (size_t a = 0; a < free_g.size(); ++a)
      if (pair[a] >= 0 && cost[a * free_t.size() + static_cast<size_t>(pair[a])] <= 1.0)
        match[free_g[a]] = static_cast<int64_t>(free_t[static_cast<size_t>(pair[a])]);

    cv::Mat truth_labels, track_labels;
    if (truth_masks && std::any_of(match.begin(), match.end(), [](int64_t m) { return m >= 0; })) {
      truth_labels = read_labels(*truth_masks, f);
      track_labels = read_labels(*track_masks, f);
    }
    int64_t matched = 0;
    for (size_t i = 0; i < g.size(); ++i) {
      if (match[i] < 0) continue;
      const MotRow& tr = t[static_cast<size_t>(match[i])];
      ++matched;
      iou_sum += iou(g[i].box, tr.box);
      const auto last = last_track.find(g[i].id);
      if (last != last_track.end() && last->second != tr.id) ++s.id_switches;
      last_track[g[i].id] = tr.id;
      if (truth_masks) {
        mask_sum += mask_iou(truth_labels, g[i].id, track_labels, tr.id);
        ++s.masks_compared;
      }
    }
    s.matches += matched;
    s.misses += static_cast<int64_t>(g.size()) - matched;
    s.false_positives += static_cast<int64_t>(t.size()) - matched;
  }
  s.mota = s.truth_boxes > 0
               ? 1.0 - static_cast<double>(s.misses + s.false_positives + s.id_switches) / static_cast<double>(s.truth_boxes)
               : 0.0;
  s.motp = s.matches > 0 ? iou_sum / static_cast<double>(s.matches) : 0.0;
  if (truth_masks && s.masks_compared > 0) s.mask_iou = mask_sum / static_cast<double>(s.masks_compared);
  score_identities(truth, tracks, s);
  return s;
}

}  // namespace

std::filesystem::path label_image_path(const std::filesystem::path& folder, int64_t frame) {
  return folder / fmt::format("{:06d}.png", frame);
}

TrackingScore score_tracks(const std::vector<MotRow>& truth, const std::vector<MotRow>& tracks) {
  return score(truth, tracks, nullptr, nullptr);
}

TrackingScore score_tracks(const std::vector<MotRow>& truth, const std::vector<MotRow>& tracks,
                           const std::filesystem::path& truth_masks, const std::filesystem::path& track_masks) {
  return score(truth, tracks, &truth_masks, &track_masks);
}

}  // namespace stride::video
