#include "stride/cli/open_set_eval.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/data/layout.h"
#include "stride/eval/gait_protocol.h"
#include "stride/gallery/open_set_evaluation.h"
#include "stride/ir/float_interface.h"
#include "stride/measure/result_header.h"
#include "stride/pipeline/recording_features.h"

namespace stride::cli {
namespace {

std::string subjects_text(const std::vector<int>& subjects) {
  if (subjects.size() == 1) return fmt::format("subject {}", subjects.front());
  return fmt::format("{} subjects ({}–{})", subjects.size(), subjects.front(), subjects.back());
}

}  // namespace

void evaluate_open_set(const OpenSetEvalArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"dataset", args.data}}, {json_output.output_path()});
  const Graph model = with_float_interface(load_model(args.model));
  ProgressBar loading("loading test recordings");
  const pipeline::TestRecordings test = pipeline::load_test_recordings(
      model, args.data, args.threads, [&](size_t d, size_t t) { loading.update(d, t); }, args.split);
  pipeline::EvaluationOptions options;
  options.backend = resolve_backend(args.backend, model, args.batch, args.threads).name;
  options.batch = args.batch;
  options.threads = args.threads;
  const pipeline::RecordingFeatures features = pipeline::recording_features(model, test, options);
  const Tensor flat = features.rows.reshaped({features.rows.dim(0), features.rows.numel() / features.rows.dim(0)});
  const eval::GaitProtocol& protocol =
      test.layout == data::DatasetLayout::casia_b ? eval::casia_b_protocol() : eval::tum_gaid_protocol();
  const gallery::OpenSetReport r =
      gallery::evaluate_open_set(eval::MatrixView(flat, "features"), test.samples, protocol);

  fmt::print(
      "{}: open-set identification on the {} subjects of {} ({}), {} backend\n"
      "enrolled {} ({} templates, {}); threshold set on {} ({} searches); FPIR measured on {} ({} "
      "searches); {} mated searches\n\n",
      model.name, pipeline::split_name(test.split), args.data, data::layout_name(test.layout), options.backend,
      subjects_text(r.subjects.enrolled), r.templates, protocol.gallery.name, subjects_text(r.subjects.calibration),
      r.calibration_searches, subjects_text(r.subjects.non_mated), r.non_mated_searches, r.mated_searches);
  fmt::print("{:>12}  {:>10}  {:>8}  {:>13}\n", "target FPIR", "threshold", "DIR", "measured FPIR");
  nlohmann::json rows = nlohmann::json::array();
  for (const gallery::DirAtFpir& d : r.dir) {
    const std::string target = fmt::format("{:g} %", 100 * d.target_fpir);
    nlohmann::json row{{"target_fpir", d.target_fpir}};
    if (d.measurable) {
      fmt::print("{:>12}  {:>10.4f}  {:>6.2f} %  {:>11.2f} %\n", target, d.threshold, 100 * d.dir, 100 * d.fpir);
      row.update({{"threshold", d.threshold}, {"dir", 100 * d.dir}, {"fpir", 100 * d.fpir}});
    } else {
      const std::string reason = fmt::format("not measurable: {} calibration searches, fewer than 1/{:g}",
                                             r.calibration_searches, d.target_fpir);
      fmt::print("{:>12}  {}\n", target, reason);
      row.update({{"threshold", nullptr},
                  {"threshold_reason", reason},
                  {"dir", nullptr},
                  {"dir_reason", reason},
                  {"fpir", nullptr},
                  {"fpir_reason", reason}});
    }
    rows.push_back(row);
  }
  fmt::print("closed-set rank-1 (DIR at no threshold): {:.2f} %\n", 100 * r.rank1);
  if (!json_output.requested()) return;
  nlohmann::json j;
  j["model"] = model_reference(args.model, model);
  j["dataset"] = args.data;
  j["layout"] = std::string(data::layout_name(test.layout));
  j["split"] = pipeline::split_name(test.split);
  j["backend"] = options.backend;
  j["batch"] = options.batch;
  j["subjects"] = {
      {"enrolled", r.subjects.enrolled}, {"calibration", r.subjects.calibration}, {"non_mated", r.subjects.non_mated}};
  j["templates"] = r.templates;
  j["searches"] = {
      {"mated", r.mated_searches}, {"calibration", r.calibration_searches}, {"non_mated", r.non_mated_searches}};
  j["dir_at_fpir"] = rows;
  j["rank1"] = 100 * r.rank1;
  json_output.write(result_document("eval-open-set", args.threads, j));
}

}  // namespace stride::cli
