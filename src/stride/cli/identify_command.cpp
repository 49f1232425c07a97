// `stride identify`: who each probe recording of a dataset is, by the gallery's templates — a
// person's display name (or pseudonym) with the score, or "unknown" below the calibrated threshold.
// Probes are only searched: no one unknown is ever stored.
#include <fmt/format.h>

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
#include "stride/measure/result_header.h"

namespace stride::cli {
namespace {

struct IdentifyArgs {
  std::string gallery;
  std::string key_file;
  std::string subject;  // empty: every subject of the dataset
  std::optional<double> threshold;
  std::string json;
  FeatureOptions features;
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

void identify(const IdentifyArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"gallery", args.gallery}, {"dataset", args.features.data}}, {json_output.output_path()});
  const gallery::GalleryKey key = gallery::GalleryKey::load(args.key_file);
  gallery::GalleryStore store(args.gallery, key);
  const double threshold = decision_threshold(args, store);
  const std::optional<int> only = args.subject.empty() ? std::nullopt : std::optional(dataset_subject(args.subject));
  const FeatureModel model = load_feature_model(args.features.model);
  store.require_model(model.identity);
  const gallery::TemplateIndex index = gallery::load_index(store);
  const DatasetFeatures f = dataset_features(
      model, args.features,
      load_dataset_recordings(
          model, args.features, [&](int s) { return !only || s == *only; }, pipeline::ProtocolPart::probes));
  std::map<std::string, std::string> display;  // by pseudonym
  for (const gallery::Person& p : store.persons()) display[p.pseudonym] = p.display();

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

}  // namespace

void add_identify_command(CLI::App& app) {
  auto a = std::make_shared<IdentifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "identify", "Who each probe recording of a dataset is, by a gallery: a name with its score, or unknown");
  cmd->add_option("gallery", a->gallery, "The gallery's SQLite file (stride gallery)")->required();
  cmd->add_option("--key-file", a->key_file, "File of the gallery's 32-byte key")->required();
  add_feature_options(cmd, a->features,
                      "its probe recordings (outside the protocol's gallery sequences) are identified");
  cmd->add_option("--subject", a->subject, "Only this dataset subject's probe recordings (its number)");
  cmd->add_option("--threshold", a->threshold,
                  "Score (cosine similarity) from which a probe is named, instead of the calibrated one");
  add_json_option(cmd, a->json);
  cmd->footer(
      "Example:\n  stride identify people.db --key-file people.key --model gaitset-trained.onnx --data data/casia-b "
      "--json who.json");
  cmd->callback([a] { identify(*a); });
}

}  // namespace stride::cli
