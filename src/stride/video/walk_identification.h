#pragma once
// Who walks in a video, by a gallery: each track's walk, cut into windows of the model's clip, is
// searched among the enrolled templates; a window is named when its best person scores at or above
// the threshold, and windows of one moment (their middles in the same slot of frames) never share a
// person — one person walks in one place at a time. Nothing of the probes is stored.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stride/gallery/open_set_metrics.h"
#include "stride/gallery/template_index.h"
#include "stride/ir/graph.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/video/mot_csv.h"
#include "stride/video/track_windows.h"

namespace stride::video {

// The model's feature of each window (its feature output, as `stride eval` takes it) on
// options.backend, in the windows' order. Throws stride::Error when the model does not take
// silhouette clips of the windows' length.
std::vector<std::vector<float>> window_features(const Graph& model, const std::vector<TrackWindow>& windows,
                                                const pipeline::EvaluationOptions& options);

struct WindowAnswer {
  int64_t track = 0, first_frame = 0, last_frame = 0;
  std::vector<gallery::Candidate> candidates;  // every enrolled person, best first
  std::optional<std::string> identity;         // the person's label, or none: unknown
  double score = 0;                            // the identity's score; unknown: the best candidate's
};

std::vector<WindowAnswer> identify_windows(const std::vector<TrackWindow>& windows,
                                           const std::vector<std::vector<float>>& features,
                                           const gallery::TemplateIndex& index, double threshold, int64_t slot_frames);

// The true id of each track: the ground-truth id its boxes match (IoU >= 0.5) in the most frames;
// tracks that never match one are left out.
std::map<int64_t, int64_t> track_truth(const std::vector<MotRow>& tracks, const std::vector<MotRow>& truth);

// The answers against the truth: each window as an open-set search, mated where its track's true id
// is enrolled (its label from `label_of_truth`), non-mated where it is not (windows of tracks
// without a true id are left out); and the answers given, counted: a mated window named rightly or
// wrongly, a non-mated window named at all (a false positive).
struct AnswerScore {
  std::vector<gallery::Search> mated, non_mated;
  int64_t named_rightly = 0, named_wrongly = 0, false_positives = 0;
  double dir() const;   // named rightly, of the mated windows (0 without any)
  double fpir() const;  // named, of the non-mated windows (0 without any)
};
AnswerScore score_answers(const std::vector<WindowAnswer>& answers, const std::map<int64_t, int64_t>& truth,
                          const std::map<int64_t, std::string>& label_of_truth);

}  // namespace stride::video
