#include "stride/video/walk_identification.h"

#include <map>
#include <set>

#include "stride/core/error.h"
#include "stride/gallery/unique_assignment.h"
#include "stride/pipeline/model_input.h"
#include "stride/pipeline/recording_features.h"

namespace stride::video {

std::vector<std::vector<float>> window_features(const Graph& model, const std::vector<TrackWindow>& windows,
                                                const pipeline::EvaluationOptions& options) {
  if (windows.empty()) return {};
  pipeline::TestRecordings recordings;
  recordings.input = pipeline::model_input_of(model);
  if (recordings.input.kind != pipeline::InputKind::silhouettes)
    fail("model {}: identifying walkers in a video needs a silhouette model (like GaitSet)", model.name);
  for (const TrackWindow& w : windows) {
    if (w.silhouettes.dim(0) != recordings.input.frames)
      fail("model {} takes clips of {} silhouettes; the track windows hold {}", model.name, recordings.input.frames,
           w.silhouettes.dim(0));
    recordings.material.push_back(w.silhouettes);
  }
  const pipeline::RecordingFeatures features = pipeline::recording_features(model, recordings, options);
  const int64_t length = features.rows.numel() / features.rows.dim(0);
  std::vector<std::vector<float>> rows;
  for (int64_t r = 0; r < features.rows.dim(0); ++r)
    rows.emplace_back(features.rows.data<float>() + r * length, features.rows.data<float>() + (r + 1) * length);
  return rows;
}

std::vector<WindowAnswer> identify_windows(const std::vector<TrackWindow>& windows,
                                           const std::vector<std::vector<float>>& features,
                                           const gallery::TemplateIndex& index, double threshold, int64_t slot_frames) {
  if (windows.size() != features.size()) fail("{} windows with {} features", windows.size(), features.size());
  if (slot_frames < 1) fail("slots of {} frames; expected at least 1", slot_frames);
  std::vector<WindowAnswer> answers;
  std::map<int64_t, std::vector<size_t>> slots;  // slot -> windows whose middle falls in it
  for (size_t i = 0; i < windows.size(); ++i) {
    const TrackWindow& w = windows[i];
    answers.push_back({w.track, w.first_frame, w.last_frame, index.search(features[i], index.size()), {}, 0});
    slots[(w.first_frame + w.last_frame) / 2 / slot_frames].push_back(i);
  }
  for (const auto& [slot, members] : slots) {
    // The persons any of the slot's windows proposes, and each window's score for each of them.
    std::vector<std::string> persons;
    std::map<std::string, size_t> column;
    for (size_t i : members)
      for (const gallery::Candidate& c : answers[i].candidates)
        if (column.emplace(c.label, persons.size()).second) persons.push_back(c.label);
    std::vector<std::vector<double>> scores(members.size(), std::vector<double>(persons.size(), -1.0));
    for (size_t m = 0; m < members.size(); ++m)
      for (const gallery::Candidate& c : answers[members[m]].candidates) scores[m][column.at(c.label)] = c.score;
    const auto assigned = gallery::assign_unique_identities(scores, threshold);
    for (size_t m = 0; m < members.size(); ++m) {
      WindowAnswer& a = answers[members[m]];
      if (assigned[m]) {
        a.identity = persons[*assigned[m]];
        a.score = scores[m][*assigned[m]];
      } else {
        a.score = a.candidates.empty() ? 0.0 : a.candidates.front().score;
      }
    }
  }
  return answers;
}

std::map<int64_t, int64_t> track_truth(const std::vector<MotRow>& tracks, const std::vector<MotRow>& truth) {
  std::map<int64_t, std::vector<const MotRow*>> truth_by_frame;
  for (const MotRow& g : truth) truth_by_frame[g.frame].push_back(&g);
  std::map<int64_t, std::map<int64_t, int64_t>> votes;  // track -> truth id -> frames matched
  for (const MotRow& t : tracks) {
    const auto it = truth_by_frame.find(t.frame);
    if (it == truth_by_frame.end()) continue;
    const MotRow* best = nullptr;
    double best_iou = 0.5;
    for (const MotRow* g : it->second) {
      const double o = iou(t.box, g->box);
      if (o >= best_iou) {
        best_iou = o;
        best = g;
      }
    }
    if (best) ++votes[t.id][best->id];
  }
  std::map<int64_t, int64_t> out;
  for (const auto& [track, counts] : votes) {
    int64_t id = 0, most = 0;
    for (const auto& [truth_id, n] : counts)
      if (n > most) {
        most = n;
        id = truth_id;
      }
    out[track] = id;
  }
  return out;
}

double AnswerScore::dir() const {
  return mated.empty() ? 0.0 : static_cast<double>(named_rightly) / static_cast<double>(mated.size());
}

double AnswerScore::fpir() const {
  return non_mated.empty() ? 0.0 : static_cast<double>(false_positives) / static_cast<double>(non_mated.size());
}

AnswerScore score_answers(const std::vector<WindowAnswer>& answers, const std::map<int64_t, int64_t>& truth,
                          const std::map<int64_t, std::string>& label_of_truth) {
  AnswerScore s;
  for (const WindowAnswer& a : answers) {
    const auto t = truth.find(a.track);
    if (t == truth.end()) continue;
    const auto mate = label_of_truth.find(t->second);
    if (mate == label_of_truth.end()) {
      s.non_mated.push_back({"", a.candidates});
      s.false_positives += a.identity.has_value();
    } else {
      s.mated.push_back({mate->second, a.candidates});
      if (a.identity) (*a.identity == mate->second ? s.named_rightly : s.named_wrongly) += 1;
    }
  }
  return s;
}

}  // namespace stride::video
