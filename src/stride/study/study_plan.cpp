#include "stride/study/study_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/data/synth_config.h"
#include "stride/eval/subject_split.h"

namespace stride::study {
namespace {

std::string number(double v) { return fmt::format("{:g}", v); }

std::string joined(const std::vector<int>& v) { return fmt::format("{}", fmt::join(v, ",")); }
std::string joined(const std::vector<double>& v) { return fmt::format("{:g}", fmt::join(v, ",")); }

// A softmax head names the test subjects of the TUM-GAID protocol: as many classes as there are.
int tum_test_subjects(const std::string& preset) {
  std::vector<int> ids(static_cast<size_t>(data::synth_preset(preset).subjects));
  std::iota(ids.begin(), ids.end(), 1);
  return static_cast<int>(eval::tum_gaid_split(ids).test.size());
}

class PlanBuilder {
 public:
  explicit PlanBuilder(const StudyPreset& p) : p_(p) {}

  std::vector<CellSpec> build() {
    bool casia = false, tum = false;
    for (const ModelPlan& m : p_.models) (m.dataset == "casia" ? casia : tum) = true;
    if (casia)
      add("data/casia", "synthesize the CASIA-B-style set",
          {"data", "synth", "--preset", p_.casia_preset, "--seed", std::to_string(p_.data_seed), "-o", "{out}/data"},
          10);
    if (tum)
      add("data/tum", "synthesize the TUM-GAID-style set",
          {"data", "synth", "--preset", p_.tum_preset, "--seed", std::to_string(p_.data_seed), "-o", "{out}/data"}, 10);
    for (const ModelPlan& m : p_.models) model_cells(m);
    return std::move(cells_);
  }

 private:
  void add(std::string id, std::string title, std::vector<std::string> args, double seconds) {
    // Table 3 shows the classifier's time from the FP32 evaluations; every other time is a bench cell's.
    const bool timed = id.starts_with("bench/") || (id.starts_with("eval/") && id.find("/fp32") != std::string::npos);
    cells_.push_back({std::move(id), std::move(title), std::move(args), seconds, timed});
  }
  // A cell that trains: with the study's thread count written into its command (study_cell.h).
  void add_training(std::string id, std::string title, std::vector<std::string> args, double seconds) {
    args.insert(args.end(), {"--threads", std::to_string(p_.training_threads)});
    cells_.push_back({std::move(id), std::move(title), std::move(args), seconds, false, true});
  }

  static std::string data_of(const ModelPlan& m) { return "{data/" + m.dataset + "}/data"; }
  static bool flow(const ModelPlan& m) { return m.dataset == "tum"; }
  // Accuracy with the model's own classifier (and with every classifier when `all_classifiers`).
  void eval_cells(const ModelPlan& m, const std::string& key, const std::string& model_file, bool all_classifiers) {
    for (size_t c = 0; c < (all_classifiers ? m.classifiers.size() : 1); ++c) {
      const std::string& classifier = m.classifiers[c];
      add(fmt::format("eval/{}/{}{}", m.name, key, c == 0 ? "" : "-" + classifier),
          fmt::format("{} {}: accuracy ({})", m.name, key, classifier),
          {"eval", model_file, "--data", data_of(m), "--classifier", classifier, "--json", "{out}/result.json"},
          m.eval_seconds);
    }
  }

  // Accuracy, and time per batch size (beside LibTorch eager when `vs_torch`), of one model file.
  void variant_cells(const ModelPlan& m, const std::string& key, const std::string& model_file, bool vs_torch,
                     const std::vector<int>& batches) {
    eval_cells(m, key, model_file, vs_torch);
    std::vector<std::string> bench = {"bench",     model_file,
                                      "--backend", "onednn",
                                      "--batch",   joined(batches),
                                      "--warmup",  std::to_string(p_.warmup),
                                      "--runs",    std::to_string(p_.runs),
                                      "--json",    "{out}/result.json"};
    if (vs_torch) bench.insert(bench.begin() + 4, {"--vs", "torch"});
    add(fmt::format("bench/{}/{}", m.name, key),
        fmt::format("{} {}: time per batch size{}", m.name, key, vs_torch ? ", onednn vs LibTorch" : ""), bench,
        (vs_torch ? 3.0 : 1.0) * static_cast<double>(batches.size()) * 2);
  }

  void int8_cells(const ModelPlan& m, const std::string& key, const std::string& source,
                  const std::vector<int>& batches) {
    add(fmt::format("quantize/{}/{}", m.name, key), fmt::format("{} {}: calibrate and quantize", m.name, key),
        {"quantize", source, "--precision", "int8", "--data", data_of(m), "--method", "auto", "--samples",
         std::to_string(p_.calibration_samples), "--classifier", m.classifiers.front(), "--backend", "onednn", "-o",
         "{out}/model.onnx", "--json", "{out}/result.json"},
        6 * m.eval_seconds);
    variant_cells(m, key, fmt::format("{{quantize/{}/{}}}/model.onnx", m.name, key), false, batches);
  }

  void model_cells(const ModelPlan& m) {
    const std::vector<int> ends = {p_.batches.front(), p_.batches.back()};
    std::vector<std::string> build = {
        "zoo", "build", m.name, "-o", "{out}/model.onnx", "--width-mult", number(m.width_mult)};
    if (flow(m)) build.insert(build.end(), {"--classes", std::to_string(tum_test_subjects(p_.tum_preset))});
    add("build/" + m.name, m.name + ": build the zoo model", build, 1);
    const std::string built = "{build/" + m.name + "}/model.onnx";
    std::string untrained = built;
    if (flow(m)) {
      // Zero epochs: the untrained model, its softmax head labelled with the subjects it will name.
      add_training("label/" + m.name, m.name + ": label the untrained softmax head",
          {"train", built, "--data", data_of(m), "--train-on", "test-gallery", "--epochs", "0", "-o",
           "{out}/model.onnx"},
          5);
      untrained = "{label/" + m.name + "}/model.onnx";
    }
    eval_cells(m, "untrained", untrained, true);

    std::vector<std::string> train = {"train",      built,
                                      "--data",     data_of(m),
                                      "--train-on", flow(m) ? "test-gallery" : "train-subjects",
                                      "--epochs",   std::to_string(m.epochs),
                                      "-o",         "{out}/model.onnx"};
    if (m.learning_rate > 0) train.insert(train.end(), {"--lr", number(m.learning_rate)});
    add_training("train/" + m.name, fmt::format("{}: train {} epochs", m.name, m.epochs), train,
                 m.epochs * m.epoch_seconds);
    const std::string trained = "{train/" + m.name + "}/model.onnx";
    variant_cells(m, "fp32", trained, true, p_.batches);

    for (const char* precision : {"fp16", "bf16"}) {
      add(fmt::format("quantize/{}/{}", m.name, precision), fmt::format("{}: store weights as {}", m.name, precision),
          {"quantize", trained, "--precision", precision, "-o", "{out}/model.onnx", "--json", "{out}/result.json"}, 1);
      variant_cells(m, precision, fmt::format("{{quantize/{}/{}}}/model.onnx", m.name, precision), false, p_.batches);
    }
    int8_cells(m, "int8", trained, p_.batches);

    if (m.pruned) pruning_cells(m, trained, ends);
    if (m.converted_to_2d) {
      add("convert/" + m.name + "/3d-to-2d", m.name + ": convert every 3-D convolution to a 2-D pair (SVD)",
          {"convert", trained, "--3d-to-2d", "--init", "svd", "-o", "{out}/model.onnx", "--json", "{out}/result.json"},
          5);
      variant_cells(m, "3d-to-2d", "{convert/" + m.name + "/3d-to-2d}/model.onnx", true, p_.batches);
    }
  }

  // Table 6 (each ratio fine-tuned, and pruned + int8) and the sensitivity of each group.
  void pruning_cells(const ModelPlan& m, const std::string& trained, const std::vector<int>& ends) {
    for (double ratio : p_.prune_ratios) {
      const std::string key = variant_key_pruned(ratio);
      std::vector<std::string> prune = {"prune",
                                        trained,
                                        "--ratio",
                                        number(ratio),
                                        "--data",
                                        data_of(m),
                                        "--train-on",
                                        flow(m) ? "test-gallery" : "train-subjects",
                                        "--finetune-epochs",
                                        std::to_string(m.finetune_epochs),
                                        "-o",
                                        "{out}/model.onnx",
                                        "--json",
                                        "{out}/result.json"};
      prune.insert(prune.end(), m.prune_flags.begin(), m.prune_flags.end());
      add_training(fmt::format("prune/{}/{}", m.name, key),
          fmt::format("{}: prune {:g} % of the filters, fine-tune {} epochs", m.name, 100 * ratio, m.finetune_epochs),
          prune, m.finetune_epochs * m.epoch_seconds + 5);
      variant_cells(m, key, fmt::format("{{prune/{}/{}}}/model.onnx", m.name, key), false, ends);
      if (std::abs(ratio - p_.combined_ratio) < 1e-9)
        int8_cells(m, key + "-int8", fmt::format("{{prune/{}/{}}}/model.onnx", m.name, key), ends);
    }
    if (!p_.sensitivity_ratios.empty())
      add("sensitivity/" + m.name, m.name + ": each layer pruned alone (sensitivity)",
          {"sensitivity", trained, "--data", data_of(m), "--split", "auto", "--classifier", m.classifiers.front(),
           "--ratios", joined(p_.sensitivity_ratios), "--backend", "onednn", "--json", "{out}/result.json", "--svg",
           "{out}/sensitivity.svg"},
          8.0 * static_cast<double>(p_.sensitivity_ratios.size()) * m.eval_seconds);
  }

  const StudyPreset& p_;
  std::vector<CellSpec> cells_;
};

}  // namespace

std::string variant_key_pruned(double ratio) { return fmt::format("pruned-{:g}", std::round(100 * ratio)); }

std::vector<std::string> preset_names() { return {"quick", "paper"}; }

// GaitSet's prunes depart from the paper's recipe in two flags. Raw L1 norms grow with a layer's
// fan-in, so one global threshold leaves set_layer1/2, gl_layer1 and set_layer3 a single filter each
// and rank-1 collapses (86 → 61 % at 30 % on a half-width GaitSet, even after fine-tuning);
// normalised scores spread the cut. Adam's 1e-4, GaitSet's training rate, recovers too slowly in a
// few fine-tuning epochs; 5e-4 recovers (86.1 % at 30 %). Measured on casia-b-mini, docs/compress.md.
const std::vector<std::string> kGaitSetPruneFlags{"--normalize", "--finetune-lr", "5e-4"};

StudyPreset study_preset(const std::string& name) {
  StudyPreset p;
  p.name = name;
  if (name == "quick") {
    // Minutes on 2 cores: the small procedural sets, a half-width GaitSet, short training that
    // still lifts every model far above its untrained self.
    p.casia_preset = "casia-b-quick";
    p.tum_preset = "tum-gaid-quick";
    p.models = {{"cnn2d", "tum", 1.0, 60, 0.01, 10, {"softmax", "knn"}, true, false, 7, 0.9},
                {"cnn3d", "tum", 1.0, 30, 0.01, 5, {"softmax", "knn"}, false, true, 10, 1.4},
                {"gaitset", "casia", 0.5, 10, 0, 3, {"knn"}, true, false, 3, 9, kGaitSetPruneFlags}};
    p.prune_ratios = {0.3, 0.5};
    p.sensitivity_ratios = {0.5};
    p.batches = {1, 2, 4, 8};
    p.warmup = 3;
    p.runs = 10;
    p.calibration_samples = 32;
    return p;
  }
  if (name == "paper") {
    // The paper's protocol (5 warm-up runs, 20 timed; fine-tuning 30 epochs for the 2D-CNN) on the
    // larger procedural sets and full-width models. GaitSet trains 12 epochs and fine-tunes 3: an
    // epoch of the full-width model over casia-b-mini takes minutes on 2 cores. The 2D-CNN trains at
    // the SGD default (0.002): at 0.01 it diverged on tum-gaid-mini's flow (docs/train.md).
    p.casia_preset = "casia-b-mini";
    p.tum_preset = "tum-gaid-mini";
    p.models = {{"cnn2d", "tum", 1.0, 100, 0, 30, {"softmax", "knn"}, true, false, 40, 2},
                {"cnn3d", "tum", 1.0, 40, 0.01, 10, {"softmax", "knn"}, false, true, 50, 3},
                {"gaitset", "casia", 1.0, 12, 0, 3, {"knn"}, true, false, 15, 100, kGaitSetPruneFlags}};
    p.prune_ratios = {0.1, 0.3, 0.5};
    p.sensitivity_ratios = {0.25, 0.5};
    p.batches = {1, 2, 3, 4, 5, 6, 7, 8};
    return p;
  }
  usage_fail("unknown study preset '{}': expected one of {}", name, fmt::join(preset_names(), ", "));
}

void keep_models(StudyPreset& preset, const std::vector<std::string>& names) {
  std::vector<ModelPlan> kept;
  for (const std::string& n : names) {
    const auto it =
        std::find_if(preset.models.begin(), preset.models.end(), [&](const ModelPlan& m) { return m.name == n; });
    if (it == preset.models.end()) {
      std::vector<std::string> known;
      for (const ModelPlan& m : preset.models) known.push_back(m.name);
      usage_fail("--models {}: the {} preset has {}", n, preset.name, fmt::join(known, ", "));
    }
    kept.push_back(*it);
  }
  preset.models = std::move(kept);
}

std::vector<CellSpec> study_cells(const StudyPreset& preset) { return PlanBuilder(preset).build(); }

}  // namespace stride::study
