// `stride identify`: who each probe recording of a dataset is, by the gallery's templates — a
// person's display name (or pseudonym) with the score, or "unknown" below the calibrated threshold.
// Probes are only searched: no one unknown is ever stored.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/gallery_features.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/core/error.h"
#include "stride/gallery/gallery_index.h"
#include "stride/gallery/gallery_store.h"
#include "stride/core/usage_error.h"
#include "stride/measure/result_header.h"
#include "stride/pipeline/model_input.h"
#include "stride/video/mot_csv.h"
#include "stride/video/walk_identification.h"

namespace stride::cli {
namespace {

struct IdentifyArgs {
  std::string gallery;
  std::string key_file;
  std::string subject;  // empty: every subject of the dataset
  std::optional<double> threshold;
  std::string json;
  FeatureOptions features;
  std::string video;  // instead of a dataset: the walkers of a video
  std::string truth;  // its ground truth (MOTChallenge CSV, ids = subject ids), to score the answers
};

// The threshold to decide with: the one given, else the gallery's calibrated one (with a line when
// the gallery has grown or shrunk since, as FPIR grows with its size).
double decision_threshold(const IdentifyArgs& args, const gallery::GalleryStore& store) {
  if (args.threshold) return *args.threshold;
  const std::optional<gallery::Threshold> t = store.threshold();
  if (!t)
    fail("gallery {} has no threshold for its model: run 'stride gallery calibrate' first, or give --threshold",
         args.gallery);
  if (t->gallery_size != store.person_count())
    fmt::print("note: the threshold was set with {} persons enrolled, the gallery has {} now; calibrate again\n",
               t->gallery_size, store.person_count());
  return t->value;
}

// The gallery's templates in the search index, once they are known to be `model`'s.
gallery::TemplateIndex index_of(const gallery::GalleryStore& store, const FeatureModel& model) {
  store.require_model(model.identity);
  return gallery::load_index(store);
}

// A gallery opened for searching: its key, its store, the threshold to decide with, the model that
// made its templates (checked) and the templates in the search index.
struct SearchableGallery {
  explicit SearchableGallery(const IdentifyArgs& args)
      : key(gallery::GalleryKey::load(args.key_file)),
        store(args.gallery, key),
        threshold(decision_threshold(args, store)),
        model(load_feature_model(args.features.model)),
        index(index_of(store, model)) {
    for (const gallery::Person& p : store.persons()) display[p.pseudonym] = p.display();
  }

  const gallery::GalleryKey key;  // before the store, which keeps a reference to it
  gallery::GalleryStore store;
  const double threshold;
  const FeatureModel model;
  const gallery::TemplateIndex index;
  std::map<std::string, std::string> display;  // display name (or pseudonym) by pseudonym
};

void identify_recordings(const IdentifyArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"gallery", args.gallery}, {"dataset", args.features.data}}, {json_output.output_path()});
  const std::optional<int> only = args.subject.empty() ? std::nullopt : std::optional(dataset_subject(args.subject));
  SearchableGallery g(args);
  auto& [key, store, threshold, model, index, display] = g;
  const DatasetFeatures f = dataset_features(
      model, args.features,
      load_dataset_recordings(
          model, args.features, [&](int s) { return !only || s == *only; }, pipeline::ProtocolPart::probes));

  size_t named = 0, named_right = 0, enrolled_probes = 0, unknown_right = 0;
  nlohmann::json probes = nlohmann::json::array();
  fmt::print("{} probe recordings of {} against {} ({} persons), threshold {:.4f}, {} backend\n", f.samples.size(),
             args.features.data, args.gallery, display.size(), threshold, f.backend);
  for (size_t i = 0; i < f.samples.size(); ++i) {
    const eval::GaitSample& s = f.samples[i];
    const std::vector<gallery::Candidate> candidates = index.search(f.features[i], index.size());
    const gallery::Candidate& best = candidates.front();
    const bool known = best.score >= threshold;
    // The dataset says who each probe is: whether the answer was right can be told.
    const std::optional<std::string> truth = store.pseudonym_of_subject(std::to_string(s.subject));
    named += known;
    enrolled_probes += truth.has_value();
    named_right += known && truth == best.label;
    unknown_right += !known && !truth;
    const std::string identity = known ? display.at(best.label) : "unknown";
    fmt::print("subject {:>4} {}-{:02} {:>3}°: {} ({:.4f})\n", s.subject, s.condition, s.sequence, s.view, identity,
               best.score);
    probes.push_back({{"subject", s.subject},
                      {"condition", s.condition},
                      {"sequence", s.sequence},
                      {"view", s.view},
                      {"known", known},
                      {"identity", identity},
                      {"score", best.score},
                      {"enrolled", truth.has_value()}});
  }
  store.audit("identify", static_cast<int64_t>(f.samples.size()));
  const size_t not_enrolled = f.samples.size() - enrolled_probes;
  fmt::print(
      "named {} of {} probes; of the {} probes of enrolled subjects {} named rightly, of the {} of others {} "
      "left unknown\n",
      named, f.samples.size(), enrolled_probes, named_right, not_enrolled, unknown_right);
  if (!json_output.requested()) return;
  nlohmann::json j;
  j["model"] = model_reference(args.features.model, model.graph);
  j["gallery"] = args.gallery;
  j["dataset"] = args.features.data;
  j["backend"] = f.backend;
  j["batch"] = args.features.batch;
  j["threshold"] = threshold;
  j["threshold_source"] = args.threshold ? "given" : "calibrated";
  j["persons"] = display.size();
  j["probes"] = probes;
  json_output.write(result_document("identify", args.features.threads, j));
}

// The figures of a video's answers against its ground truth (walk_identification.h: score_answers),
// as the answers gave them and as the threshold alone would.
nlohmann::json video_scores(const std::vector<video::WindowAnswer>& answers, const std::map<int64_t, int64_t>& truth,
                            const gallery::GalleryStore& store, double threshold) {
  std::map<int64_t, std::string> label_of_truth;
  for (const auto& [track, id] : truth)
    if (const auto p = store.pseudonym_of_subject(std::to_string(id))) label_of_truth[id] = *p;
  const video::AnswerScore s = video::score_answers(answers, truth, label_of_truth);
  fmt::print("against the truth: {} windows of enrolled walkers, {} named rightly (DIR {:.1f} %), {} wrongly; "
             "{} windows of others, {} named (FPIR {:.1f} %); closed-set rank-1 {:.1f} %\n",
             s.mated.size(), s.named_rightly, 100 * s.dir(), s.named_wrongly, s.non_mated.size(), s.false_positives,
             100 * s.fpir(), s.mated.empty() ? 0.0 : 100 * gallery::closed_set_rank1(s.mated));
  nlohmann::json j = {{"mated_windows", s.mated.size()},
                      {"named_rightly", s.named_rightly},
                      {"named_wrongly", s.named_wrongly},
                      {"dir", s.dir()},
                      {"non_mated_windows", s.non_mated.size()},
                      {"false_positives", s.false_positives},
                      {"fpir", s.fpir()},
                      {"threshold_dir", s.mated.empty() ? 0.0 : 1 - gallery::fnir(s.mated, threshold)},
                      {"threshold_fpir", s.non_mated.empty() ? 0.0 : gallery::fpir(s.non_mated, threshold)}};
  if (!s.mated.empty()) j["closed_set_rank1"] = gallery::closed_set_rank1(s.mated);
  return j;
}

void identify_video(const IdentifyArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"gallery", args.gallery}, {"video", args.video}, {"ground truth", args.truth}},
                     {json_output.output_path()});
  SearchableGallery g(args);
  auto& [key, store, threshold, model, index, display] = g;
  const std::vector<video::MotRow> truth_rows = args.truth.empty() ? std::vector<video::MotRow>{}
                                                                   : video::read_mot_csv(args.truth);
  const VideoFeatures v = video_features(model, args.features, args.video);
  if (v.tracked.tracks == 0) fail("video {}: no people found in its {} frames", args.video, v.tracked.frames);
  if (v.windows.empty())
    fail("video {}: no walker was tracked long enough for a window of {} silhouettes", args.video,
         pipeline::model_input_of(model.graph).frames);
  const int64_t window = v.windows.front().silhouettes.dim(0);
  const std::vector<video::WindowAnswer> answers = video::identify_windows(v.windows, v.features, index, threshold, window);

  fmt::print("{}: {} tracks, {} windows of {} frames against {} ({} persons), threshold {:.4f}, {} backend\n",
             args.video, v.tracked.tracks, answers.size(), window, args.gallery, display.size(), threshold, v.backend);
  nlohmann::json windows = nlohmann::json::array();
  for (const video::WindowAnswer& a : answers) {
    const std::string identity = a.identity ? display.at(*a.identity) : "unknown";
    fmt::print("track {:>3} frames {:>5}-{:<5}: {} ({:.4f})\n", a.track, a.first_frame, a.last_frame, identity, a.score);
    windows.push_back({{"track", a.track},
                       {"first_frame", a.first_frame},
                       {"last_frame", a.last_frame},
                       {"known", a.identity.has_value()},
                       {"identity", identity},
                       {"score", a.score}});
  }
  store.audit("identify", static_cast<int64_t>(answers.size()));
  nlohmann::json scores;
  if (!args.truth.empty()) scores = video_scores(answers, video::track_truth(v.tracked.rows, truth_rows), store, threshold);
  if (!json_output.requested()) return;
  nlohmann::json j;
  j["model"] = model_reference(args.features.model, model.graph);
  j["gallery"] = args.gallery;
  j["video"] = args.video;
  j["backend"] = v.backend;
  j["threshold"] = threshold;
  j["threshold_source"] = args.threshold ? "given" : "calibrated";
  j["persons"] = display.size();
  j["tracks"] = v.tracked.tracks;
  j["window_frames"] = window;
  j["windows"] = windows;
  if (!scores.is_null()) j["truth"] = scores;
  json_output.write(result_document("identify-video", args.features.threads, j));
}

void identify(const IdentifyArgs& args) {
  if (args.features.data.empty() == args.video.empty())
    usage_fail("identify: give --data (a dataset's probe recordings) or --video (its walkers)");
  if (!args.truth.empty() && args.video.empty()) usage_fail("--gt {}: a ground truth comes with --video", args.truth);
  if (args.video.empty())
    identify_recordings(args);
  else
    identify_video(args);
}

}  // namespace

void add_identify_command(CLI::App& app) {
  auto a = std::make_shared<IdentifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "identify", "Who each probe recording of a dataset is, by a gallery: a name with its score, or unknown");
  cmd->add_option("gallery", a->gallery, "The gallery's SQLite file (stride gallery)")->required();
  cmd->add_option("--key-file", a->key_file, "File of the gallery's 32-byte key")->required();
  CLI::Option* data = add_feature_options(cmd, a->features,
                      "its probe recordings (outside the protocol's gallery sequences) are identified");
  cmd->add_option("--subject", a->subject, "Only this dataset subject's probe recordings (its number)");
  cmd->add_option("--video", a->video, "Identify the walkers of this video instead: per track and window of the clip")
      ->check(CLI::ExistingFile)
      ->excludes(data);
  cmd->add_option("--gt", a->truth,
                  "The video's ground truth (MOTChallenge CSV, ids = subject ids): the answers scored against it")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threshold", a->threshold,
                  "Score (cosine similarity) from which a probe is named, instead of the calibrated one");
  add_json_option(cmd, a->json);
  cmd->footer(
      "Example:\n  stride identify people.db --key-file people.key --model gaitset-trained.onnx --data data/casia-b "
      "--json who.json\n"
      "  stride identify people.db --key-file people.key --model gaitset-trained.onnx --video walk.avi --gt gt.csv");
  cmd->callback([a] { identify(*a); });
}

}  // namespace stride::cli
