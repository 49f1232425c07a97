// `stride gallery`: the enrolled people, in a SQLite file whose templates and names are encrypted
// under a key kept in a file of its own (docs/gallery.md): init, enroll, list, forget, purge, rekey,
// and calibrate the open-set threshold on subjects the gallery does not hold.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/gallery_features.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/gallery/gallery_index.h"
#include "stride/gallery/gallery_store.h"
#include "stride/gallery/open_set_metrics.h"
#include "stride/measure/result_header.h"
#include "stride/pipeline/model_input.h"
#include "stride/video/mot_csv.h"
#include "stride/video/walk_identification.h"

namespace stride::cli {
namespace {

using gallery::GalleryKey;
using gallery::GalleryStore;

struct GalleryArgs {
  std::string gallery;
  std::string key_file;
};

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string utc_date(int64_t unix_seconds) {
  return fmt::format("{:%Y-%m-%d}", fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

// "365d": a retention period in days, as seconds.
int64_t retention_seconds(const std::string& text) {
  constexpr int64_t kMaxDays = 100 * 366;
  size_t end = 0;
  int64_t days = -1;
  try {
    days = std::stoll(text, &end);
  } catch (const std::exception&) {
  }
  if (days < 1 || days > kMaxDays || text.substr(end) != "d")
    usage_fail("--retain {}: expected a number of days from 1 to {}, like 365d", text, kMaxDays);
  return days * 86400;
}

CLI::App* gallery_subcommand(CLI::App* parent, const std::string& name, const std::string& description,
                             GalleryArgs& args) {
  CLI::App* cmd = parent->add_subcommand(name, description);
  cmd->add_option("gallery", args.gallery, "The gallery's SQLite file")->required();
  cmd->add_option("--key-file", args.key_file,
                  "File of the gallery's 32-byte key (made by 'stride gallery init'; keep it apart from the gallery)")
      ->required();
  return cmd;
}

void init(const GalleryArgs& args, const std::string& model_file) {
  if (std::filesystem::exists(args.gallery)) fail("gallery {} exists already", args.gallery);
  std::optional<gallery::ModelIdentity> model;
  if (!model_file.empty()) model = gallery::model_identity(model_file, load_model(model_file).name);
  const bool new_key = !std::filesystem::exists(args.key_file);
  const GalleryKey key = GalleryKey::load_or_create(args.key_file);
  GalleryStore::create(args.gallery, key, model);
  if (new_key)
    fmt::print("wrote a new key to {} (owner-only); keep it apart from the gallery: without it nothing in it opens\n",
               args.key_file);
  fmt::print("created gallery {}{}\n", args.gallery, model ? " for model " + model->text() : std::string());
}

struct EnrollArgs {
  std::string subject, name, consent, retain;
  FeatureOptions features;
  std::string video;
  int64_t track = 0;
};

// The templates of one tracked walker of a video: the features of its walk's windows.
std::vector<std::vector<float>> track_templates(const FeatureModel& model, const EnrollArgs& e, std::string& backend) {
  VideoFeatures v = video_features(model, e.features, e.video);
  backend = v.backend;
  std::vector<std::vector<float>> templates;
  for (size_t i = 0; i < v.windows.size(); ++i)
    if (v.windows[i].track == e.track) templates.push_back(std::move(v.features[i]));
  if (templates.empty()) {
    const auto walk = v.tracked.walks.find(e.track);
    fail("video {}: track {} {}; a template needs a window of {} silhouettes (stride video track lists the tracks)",
         e.video, e.track,
         walk == v.tracked.walks.end() ? "has no silhouettes"
                                       : fmt::format("has {} silhouettes", walk->second.silhouettes.size()),
         pipeline::model_input_of(model.graph).frames);
  }
  return templates;
}

void enroll(const GalleryArgs& args, const EnrollArgs& e) {
  const GalleryKey key = GalleryKey::load(args.key_file);
  GalleryStore store(args.gallery, key);
  const int subject = dataset_subject(e.subject);
  // The id as calibrate and identify spell the dataset's subjects: "6" for --subject 06.
  const std::string subject_id = std::to_string(subject);
  if (store.pseudonym_of_subject(subject_id))
    fail("gallery {}: subject {} is enrolled already", args.gallery, subject_id);
  gallery::Enrollment enrollment{subject_id, e.name, e.consent, std::nullopt, {}};
  if (!e.retain.empty()) enrollment.retain_until = unix_now() + retention_seconds(e.retain);
  const FeatureModel model = load_feature_model(e.features.model);
  store.require_model(model.identity);  // before any work
  std::string backend, source;
  if (!e.video.empty()) {
    enrollment.templates = track_templates(model, e, backend);
    source = fmt::format("track {} of {}", e.track, e.video);
  } else {
    DatasetFeatures f = dataset_features(
        model, e.features,
        load_dataset_recordings(
            model, e.features, [&](int s) { return s == subject; }, pipeline::ProtocolPart::gallery));
    enrollment.templates = std::move(f.features);
    backend = f.backend;
    source = "its gallery recordings";
  }
  const std::string pseudonym = store.enroll(enrollment, model.identity);
  fmt::print("enrolled subject {} as {}: {} templates from {} ({} backend){}\n", subject_id, pseudonym,
             enrollment.templates.size(), source, backend,
             enrollment.retain_until ? ", kept until " + utc_date(*enrollment.retain_until) : std::string());
}

void list(const GalleryArgs& args, const std::string& json) {
  const JsonOutput json_output(json);
  check_output_paths({{"gallery", args.gallery}}, {json_output.output_path()});
  const GalleryKey key = GalleryKey::load(args.key_file);
  const GalleryStore store(args.gallery, key);
  const std::vector<gallery::Person> people = store.persons();
  const auto model = store.model();
  const auto threshold = store.threshold();
  fmt::print("gallery {}: {} persons, model {}\n", args.gallery, people.size(), model ? model->text() : "none yet");
  if (threshold)
    fmt::print("threshold {:.4f} for FPIR {} with {} persons enrolled (set {})\n", threshold->value, threshold->fpir,
               threshold->gallery_size, utc_date(threshold->calibrated_at));
  fmt::print("{:<32}  {:<8}  {:<20}  {:<16}  {:<10}  {:<10}  {}\n", "pseudonym", "subject", "name", "consent",
             "enrolled", "keep until", "templates");
  nlohmann::json rows = nlohmann::json::array();
  for (const gallery::Person& p : people) {
    const std::string until = p.retain_until ? utc_date(*p.retain_until) : "-";  // until forgotten
    fmt::print("{:<32}  {:<8}  {:<20}  {:<16}  {:<10}  {:<10}  {}\n", p.pseudonym, p.subject_id, p.name, p.consent,
               utc_date(p.enrolled_at), until, p.templates);
    nlohmann::json row{{"pseudonym", p.pseudonym},
                       {"subject", p.subject_id},
                       {"name", p.name},
                       {"consent", p.consent},
                       {"enrolled", utc_date(p.enrolled_at)},
                       {"templates", p.templates}};
    row["retain_until"] = p.retain_until ? nlohmann::json(utc_date(*p.retain_until)) : nlohmann::json();
    if (!p.retain_until) row["retain_until_reason"] = "kept until forgotten";
    rows.push_back(row);
  }
  if (!json_output.requested()) return;
  nlohmann::json j;
  j["gallery"] = args.gallery;
  j["model"] = model ? nlohmann::json{{"name", model->name}, {"hash", model->hash}} : nlohmann::json();
  if (!model) j["model_reason"] = "nothing enrolled yet";
  j["threshold"] = threshold ? nlohmann::json{{"value", threshold->value},
                                              {"fpir", threshold->fpir},
                                              {"gallery_size", threshold->gallery_size},
                                              {"calibrated", utc_date(threshold->calibrated_at)}}
                             : nlohmann::json();
  if (!threshold) j["threshold_reason"] = "not calibrated";
  j["persons"] = rows;
  json_output.write(result_document("gallery-list", 0, j));
}

void forget(const GalleryArgs& args, const std::string& subject, const std::string& name) {
  if (subject.empty() == name.empty()) usage_fail("forget takes one of --subject and --name");
  const GalleryKey key = GalleryKey::load(args.key_file);
  GalleryStore store(args.gallery, key);
  const std::optional<std::string> pseudonym =
      subject.empty() ? store.pseudonym_of_name(name)
                      : store.pseudonym_of_subject(std::to_string(dataset_subject(subject)));
  if (!pseudonym)
    fail("gallery {}: no one enrolled {}", args.gallery,
         subject.empty() ? "under the name '" + name + "'" : "as subject " + subject);
  const int64_t templates = store.forget(*pseudonym);
  fmt::print("forgot {} and their {} templates; the file and its log hold nothing of them\n", *pseudonym, templates);
}

void purge(const GalleryArgs& args) {
  const GalleryKey key = GalleryKey::load(args.key_file);
  GalleryStore store(args.gallery, key);
  fmt::print("forgot {} persons whose retention date had passed\n", store.purge(unix_now()));
}

void rekey(const GalleryArgs& args, const std::string& new_key_file) {
  if (std::filesystem::exists(new_key_file) && std::filesystem::equivalent(new_key_file, args.key_file))
    usage_fail("--new-key-file {} is the gallery's key file itself", new_key_file);
  const GalleryKey key = GalleryKey::load(args.key_file);
  GalleryStore store(args.gallery, key);
  const GalleryKey new_key = GalleryKey::load_or_create(new_key_file);
  store.rekey(new_key);
  fmt::print("gallery {} is sealed under {} now (pseudonyms renewed); {} no longer opens it\n", args.gallery,
             new_key_file, args.key_file);
}

struct CalibrateArgs {
  FeatureOptions features;
  double fpir = 0.01;
  std::string subjects;
  std::vector<std::string> videos, truths;  // instead of a dataset: held-out walkers of videos, by their truth
};

// The non-mated probes' features: a dataset's probe recordings of `held_out` subjects, or the
// windows of the videos' walkers whose true id is held out.
std::vector<std::vector<float>> held_out_features(const FeatureModel& model, const CalibrateArgs& c,
                                                  const std::function<bool(int)>& held_out, std::string& backend) {
  if (c.videos.empty()) {
    DatasetFeatures f = dataset_features(
        model, c.features,
        load_dataset_recordings(model, c.features, held_out, pipeline::ProtocolPart::probes));
    backend = f.backend;
    return std::move(f.features);
  }
  std::vector<std::vector<float>> features;
  for (size_t k = 0; k < c.videos.size(); ++k) {
    VideoFeatures v = video_features(model, c.features, c.videos[k]);
    backend = v.backend;
    const auto truth = video::track_truth(v.tracked.rows, video::read_mot_csv(c.truths[k]));
    for (size_t i = 0; i < v.windows.size(); ++i) {
      const auto t = truth.find(v.windows[i].track);
      if (t != truth.end() && held_out(static_cast<int>(t->second))) features.push_back(std::move(v.features[i]));
    }
  }
  return features;
}

void calibrate(const GalleryArgs& args, const CalibrateArgs& c) {
  const GalleryKey key = GalleryKey::load(args.key_file);
  GalleryStore store(args.gallery, key);
  const FeatureModel model = load_feature_model(c.features.model);
  store.require_model(model.identity);
  const gallery::TemplateIndex index = gallery::load_index(store);
  // Non-mated searches: probes of the subjects the gallery does not hold (of those --subjects names:
  // other held-out subjects can then measure the threshold).
  const std::set<int> chosen = dataset_subjects(c.subjects);
  for (int s : chosen)
    if (store.pseudonym_of_subject(std::to_string(s)))
      usage_fail("--subjects: subject {} is enrolled; calibration needs subjects held out of the gallery", s);
  std::string backend;
  const std::vector<std::vector<float>> probes = held_out_features(
      model, c,
      [&](int s) { return !store.pseudonym_of_subject(std::to_string(s)) && (chosen.empty() || chosen.count(s)); },
      backend);
  const std::string source = c.videos.empty() ? c.features.data : fmt::format("{}", fmt::join(c.videos, ", "));
  const auto needed = static_cast<size_t>(std::ceil(1 / c.fpir - 1e-9));
  if (probes.size() < needed)
    fail("--fpir {} needs at least {} non-mated searches; {} gives {} ({} of subjects not enrolled)", c.fpir, needed,
         source, probes.size(), c.videos.empty() ? "probe recordings" : "walk windows");
  std::vector<gallery::Search> non_mated;
  for (const std::vector<float>& probe : probes) non_mated.push_back({"", index.search(probe, index.size())});
  const double threshold = gallery::threshold_for_fpir(non_mated, c.fpir);
  const int64_t persons = store.person_count();
  store.set_threshold(model.identity, {c.fpir, threshold, persons, unix_now()}, static_cast<int64_t>(non_mated.size()));
  fmt::print("threshold {:.4f}: FPIR {:.4f} on {} non-mated searches of {} ({} backend), gallery of {} persons\n",
             threshold, gallery::fpir(non_mated, threshold), non_mated.size(), source, backend, persons);
}

}  // namespace

void add_gallery_command(CLI::App& app) {
  CLI::App* g = app.add_subcommand(
      "gallery",
      "Enrolled people: templates and names encrypted at rest, pseudonyms, forget, retention (docs/gallery.md)");
  g->require_subcommand(1);

  auto init_args = std::make_shared<GalleryArgs>();
  auto init_model = std::make_shared<std::string>();
  CLI::App* i =
      gallery_subcommand(g, "init", "Create a gallery, and its key file when that does not exist", *init_args);
  i->add_option("--model", *init_model, "Bind the gallery to this model's templates now (else at the first enroll)")
      ->check(CLI::ExistingFile);
  i->footer("Example:\n  stride gallery init people.db --key-file people.key --model gaitset-trained.onnx");
  i->callback([init_args, init_model] { init(*init_args, *init_model); });

  auto enroll_gallery = std::make_shared<GalleryArgs>();
  auto e = std::make_shared<EnrollArgs>();
  CLI::App* en =
      gallery_subcommand(g, "enroll", "Enroll a dataset subject: one template per gallery recording", *enroll_gallery);
  CLI::Option* enroll_data = add_feature_options(
      en, e->features, "the subject's gallery recordings (CASIA-B NM#1-4, TUM-GAID N1-N4) are enrolled");
  CLI::Option* enroll_video =
      en->add_option("--video", e->video, "Enroll a walker of this video instead (with --track): its walk's windows")
          ->check(CLI::ExistingFile)
          ->excludes(enroll_data);
  en->add_option("--track", e->track, "The walker's track id in the video (stride video track lists them)")
      ->needs(enroll_video)
      ->check(CLI::PositiveNumber);
  en->add_option("--subject", e->subject, "The dataset subject to enroll (its number)")->required();
  en->add_option("--name", e->name, "Display name, stored encrypted (default: none, the pseudonym stands for it)");
  en->add_option("--consent", e->consent, "Reference to the person's consent record, stored as given");
  en->add_option("--retain", e->retain, "Keep the person this many days, like 365d, then 'gallery purge' forgets them");
  en->footer(
      "Example:\n  stride gallery enroll people.db --key-file people.key --model gaitset-trained.onnx --data "
      "data/casia-b "
      "--subject 75 --name \"Ada L.\" --consent form-2026-017 --retain 365d\n"
      "  stride gallery enroll people.db --key-file people.key --model gaitset-trained.onnx --video door.avi --track 3 "
      "--subject 501");
  en->callback([enroll_gallery, e] {
    if (e->features.data.empty() == e->video.empty()) usage_fail("enroll: give --data (a dataset) or --video with --track");
    if (!e->video.empty() && e->track == 0) usage_fail("--video {}: give the walker's --track", e->video);
    enroll(*enroll_gallery, *e);
  });

  auto list_args = std::make_shared<GalleryArgs>();
  auto list_json = std::make_shared<std::string>();
  CLI::App* l = gallery_subcommand(g, "list", "The enrolled persons, the gallery's model and threshold", *list_args);
  add_json_option(l, *list_json);
  l->footer("Example:\n  stride gallery list people.db --key-file people.key --json people.json");
  l->callback([list_args, list_json] { list(*list_args, *list_json); });

  auto forget_args = std::make_shared<GalleryArgs>();
  auto forget_subject = std::make_shared<std::string>();
  auto forget_name = std::make_shared<std::string>();
  CLI::App* f =
      gallery_subcommand(g, "forget", "Erase a person: every row, then the file and its log scrubbed", *forget_args);
  f->add_option("--subject", *forget_subject, "The dataset subject it was enrolled as (its number)");
  f->add_option("--name", *forget_name, "Its display name");
  f->footer("Example:\n  stride gallery forget people.db --key-file people.key --name \"Ada L.\"");
  f->callback([forget_args, forget_subject, forget_name] { forget(*forget_args, *forget_subject, *forget_name); });

  auto purge_args = std::make_shared<GalleryArgs>();
  CLI::App* p = gallery_subcommand(g, "purge", "Forget everyone whose retention date has passed", *purge_args);
  p->footer("Example:\n  stride gallery purge people.db --key-file people.key");
  p->callback([purge_args] { purge(*purge_args); });

  auto rekey_args = std::make_shared<GalleryArgs>();
  auto new_key = std::make_shared<std::string>();
  CLI::App* r =
      gallery_subcommand(g, "rekey", "Encrypt everything again under a new key (made when missing)", *rekey_args);
  r->add_option("--new-key-file", *new_key, "The new key's file; the old one no longer opens the gallery")->required();
  r->footer("Example:\n  stride gallery rekey people.db --key-file people.key --new-key-file people-2027.key");
  r->callback([rekey_args, new_key] { rekey(*rekey_args, *new_key); });

  auto calibrate_args = std::make_shared<GalleryArgs>();
  auto cal = std::make_shared<CalibrateArgs>();
  CLI::App* c = gallery_subcommand(
      g, "calibrate", "Set the open-set threshold for a target FPIR on subjects not enrolled", *calibrate_args);
  CLI::Option* calibrate_data =
      add_feature_options(c, cal->features, "the probe recordings of its subjects not enrolled are the non-mated searches");
  CLI::Option* calibrate_video =
      c->add_option("--video", cal->videos, "Instead: the windows of the walkers not enrolled in these videos (with --gt)")
          ->delimiter(',')
          ->check(CLI::ExistingFile)
          ->excludes(calibrate_data);
  c->add_option("--gt", cal->truths, "Each video's ground truth (MOTChallenge CSV, ids = subject ids), in order")
      ->delimiter(',')
      ->check(CLI::ExistingFile)
      ->needs(calibrate_video);
  c->add_option("--fpir", cal->fpir, "Target false-positive identification rate (share of non-enrolled people named)")
      ->capture_default_str()
      ->check(in_range(1e-6, 0.5));
  c->add_option("--subjects", cal->subjects,
                "Only these held-out subjects, like 29-32 or 29,31 (default: every subject not enrolled)");
  c->footer(
      "Example:\n  stride gallery calibrate people.db --key-file people.key --model gaitset-trained.onnx "
      "--data data/held-out --fpir 0.01\n"
      "  stride gallery calibrate people.db --key-file people.key --model gaitset-trained.onnx --video hall.avi --gt "
      "hall-gt.csv --fpir 0.1 --subjects 33-36");
  c->callback([calibrate_args, cal] {
    if (cal->features.data.empty() == cal->videos.empty())
      usage_fail("calibrate: give --data (a dataset) or --video with --gt (held-out walkers)");
    if (cal->videos.size() != cal->truths.size())
      usage_fail("calibrate: {} videos and {} ground truths; give one --gt per --video", cal->videos.size(),
                 cal->truths.size());
    calibrate(*calibrate_args, *cal);
  });
}

}  // namespace stride::cli
