#include "stride/study/study_tables.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <optional>
#include <set>

#include "stride/core/units.h"
#include "stride/report/accuracy_text.h"
#include "stride/study/cell_results.h"
#include "stride/study/timing_provenance.h"

namespace stride::study {
namespace fs = std::filesystem;
namespace {

using Json = nlohmann::json;
constexpr const char* kMissing = "-";

// The paper's figures (Ruiz-Barroso et al. 2022, Tables 3 and 4): feature-extractor time on the
// Jetson AGX Xavier GPU with TensorRT (FP32, FP16, INT8), TensorFlow eager on the same board, and
// accuracy.
struct PaperFigures {
  double fp32_ms, fp16_ms, int8_ms, eager_ms, accuracy;
};
std::optional<PaperFigures> paper_figures(const std::string& model) {
  if (model == "cnn2d") return PaperFigures{2.593, 0.783, 0.619, 153.35, 92.03};
  if (model == "cnn3d") return PaperFigures{5.941, 4.159, 5.903, 105.35, 95.80};
  if (model == "gaitset") return PaperFigures{7.112, 4.193, 3.495, 266.52, 79.39};
  return std::nullopt;
}
constexpr const char* kPaperDevice =
    "the paper's figures: Jetson AGX Xavier GPU (TensorRT; TensorFlow eager for the "
    "framework), on the real TUM-GAID / CASIA-B";

std::string fixed(std::optional<double> v, int decimals) { return v ? fmt::format("{:.{}f}", *v, decimals) : kMissing; }
std::string ratio(std::optional<double> a, std::optional<double> b) {
  return a && b && *b > 0 ? fmt::format("{:.2f}x", *a / *b) : kMissing;
}

// The 95 % Wilson interval of an accuracy measured on `probes` probes.
std::string interval(const std::optional<double>& accuracy, const std::optional<int64_t>& probes) {
  return accuracy && probes ? interval_cell(*accuracy, *probes) : kMissing;
}
std::string count(const std::optional<int64_t>& n) { return n ? std::to_string(*n) : kMissing; }
// Cost in human units; the exact integers stay in the cells' JSON.
std::string millions(std::optional<double> n) { return n ? fmt::format("{:.2f}", *n / 1e6) : kMissing; }
std::string gmac(std::optional<double> macs) { return macs ? fmt::format("{:.3f}", units::gmac(*macs)) : kMissing; }
std::string mib(std::optional<double> bytes) { return bytes ? fmt::format("{:.2f}", units::mib(*bytes)) : kMissing; }
const std::string kEdpHeader = fmt::format("EDP {}", units::kEdp);

// Where the accuracies come from: the procedural sets the preset synthesizes, their seed, and the
// interval shown beside them.
std::string accuracy_note(const StudyPreset& p) {
  std::vector<std::string> sets;
  for (const auto& [dataset, preset] : {std::pair{"casia", p.casia_preset}, {"tum", p.tum_preset}}) {
    std::vector<std::string> models;
    for (const ModelPlan& m : p.models)
      if (m.dataset == dataset) models.push_back(m.name);
    if (!models.empty()) sets.push_back(fmt::format("{} ({})", preset, fmt::join(models, ", ")));
  }
  return fmt::format(
      "rank-1 on the test subjects of {}, made by `stride data synth` with seed {}; probes: the test "
      "recordings matched against the gallery; 95 % CI: Wilson score interval over the probes",
      fmt::join(sets, " and "), p.data_seed);
}

std::string energy_cell(const CellResults& r, const std::string& model, const std::string& key, int64_t batch,
                        const std::string& figure, std::set<std::string>& reasons) {
  if (!r.median_ms(model, key, batch, "latency")) return kMissing;  // not measured at all
  const auto value = r.energy(model, key, batch, figure, reasons);
  return value ? fixed(value, 3) : "n/a";
}

void add_energy_notes(ReportTable& t, const std::set<std::string>& reasons) {
  for (const std::string& r : reasons) t.notes.push_back("energy and EDP n/a: " + r);
}

ReportTable baseline_table(const StudyPreset& p, const CellResults& r) {
  ReportTable t{"table3",
                "Table 3 — baseline (FP32): accuracy, feature-extractor (FE) and classifier time, LibTorch eager vs "
                "Stride's onednn engine, batch 1",
                {"model", "classifier", "rank-1 % untrained", "rank-1 % trained", "probes", "95 % CI trained",
                 "FE ms onednn", "FE ms LibTorch", "onednn speed-up", "classifier ms", "mJ/inference", kEdpHeader,
                 "paper rank-1 %", "paper FE ms (TensorRT / TF eager)"},
                {},
                {}};
  std::set<std::string> reasons;
  for (const ModelPlan& m : p.models) {
    const auto paper = paper_figures(m.name);
    for (size_t c = 0; c < m.classifiers.size(); ++c) {
      const std::string& classifier = m.classifiers[c];
      const std::string suffix = c == 0 ? "" : "-" + classifier;
      const auto onednn = r.median_ms(m.name, "fp32", 1, "feature_extractor");
      const auto torch = r.median_ms(m.name, "fp32", 1, "feature_extractor", "torch");
      // The softmax head's time is part of the model; KNN runs after it, once per test recording.
      std::optional<double> classifier_ms = r.median_ms(m.name, "fp32", 1, "head");
      if (classifier == "knn") {
        const auto seconds = r.number("eval/" + m.name + "/fp32" + suffix, Json::json_pointer("/classifier_seconds"));
        const auto count = r.number("eval/" + m.name + "/fp32" + suffix, Json::json_pointer("/test_recordings"));
        classifier_ms = seconds && count ? std::optional(1000 * *seconds / *count) : std::nullopt;
      }
      const auto trained = r.accuracy(m.name, "fp32", suffix);
      const auto probes = r.probes(m.name, "fp32", suffix);
      t.rows.push_back({m.name, classifier, fixed(r.accuracy(m.name, "untrained", suffix), 2), fixed(trained, 2),
                        count(probes), interval(trained, probes), fixed(onednn, 3), fixed(torch, 3),
                        ratio(torch, onednn), fixed(classifier_ms, 3),
                        energy_cell(r, m.name, "fp32", 1, "mj_per_inference", reasons),
                        energy_cell(r, m.name, "fp32", 1, "edp_mj_ms", reasons),
                        paper && c == 0 ? fixed(paper->accuracy, 2) : kMissing,
                        paper && c == 0 ? fmt::format("{:.3f} / {:.2f}", paper->fp32_ms, paper->eager_ms) : kMissing});
    }
  }
  t.notes.push_back(accuracy_note(p));
  t.notes.push_back("times are medians of the timed runs; the paper reports means of 20 runs");
  t.notes.push_back(
      "untrained: the zoo model with its initial weights (a softmax head then names the subjects in "
      "order, as `stride train --epochs 0` labels it)");
  t.notes.push_back(kPaperDevice);
  add_energy_notes(t, reasons);
  return t;
}

ReportTable precision_table(const StudyPreset& p, const CellResults& r) {
  const int64_t last = p.batches.back();
  ReportTable t{"table4",
                "Table 4 — precision: accuracy, file size and time of FP32, FP16, BF16 and INT8 files on onednn",
                {"model", "precision", "rank-1 %", "probes", "95 % CI", "file MiB", "compression", "b1 ms",
                 "b1 vs FP32", fmt::format("b{} ms", last), fmt::format("b{} vs FP32", last), "mJ/inference",
                 kEdpHeader, "paper FE ms (Xavier GPU)"},
                {},
                {}};
  std::set<std::string> reasons;
  for (const ModelPlan& m : p.models) {
    const auto paper = paper_figures(m.name);
    const auto base_bytes = r.file_bytes(m.name, "fp32");
    const auto base1 = r.median_ms(m.name, "fp32", 1, "latency"), base_n = r.median_ms(m.name, "fp32", last, "latency");
    for (const std::string key : {"fp32", "fp16", "bf16", "int8"}) {
      const auto bytes = r.file_bytes(m.name, key);
      const auto accuracy = r.accuracy(m.name, key);
      const auto probes = r.probes(m.name, key);
      const auto b1 = r.median_ms(m.name, key, 1, "latency"), bn = r.median_ms(m.name, key, last, "latency");
      std::string paper_ms = kMissing;
      if (paper && key == "fp32") paper_ms = fixed(paper->fp32_ms, 3);
      if (paper && key == "fp16") paper_ms = fixed(paper->fp16_ms, 3);
      if (paper && key == "int8") paper_ms = fixed(paper->int8_ms, 3);
      t.rows.push_back({m.name, key, fixed(accuracy, 2), count(probes), interval(accuracy, probes), mib(bytes),
                        ratio(base_bytes, bytes), fixed(b1, 3), ratio(base1, b1), fixed(bn, 3), ratio(base_n, bn),
                        energy_cell(r, m.name, key, 1, "mj_per_inference", reasons),
                        energy_cell(r, m.name, key, 1, "edp_mj_ms", reasons), paper_ms});
    }
  }
  t.notes.push_back(
      "INT8: static QDQ, calibrated on training subjects with the most accurate of min–max, entropy "
      "and three percentiles (see the calibrator table); FP16/BF16: weights stored narrow");
  t.notes.push_back("\"vs FP32\" is FP32's median over this precision's: above 1x is faster");
  t.notes.push_back(accuracy_note(p));
  t.notes.push_back(kPaperDevice);
  add_energy_notes(t, reasons);
  return t;
}

ReportTable pruning_table(const StudyPreset& p, const CellResults& r) {
  const int64_t last = p.batches.back();
  ReportTable t{
      "table6",
      "Table 6 — filter pruning (L1 norm, global percentile, fine-tuned), and pruning × INT8",
      {"model", "variant", "requested %", "real %", "M params", "GMAC", "theoretical speed-up", "measured b1",
       fmt::format("measured b{}", last), "rank-1 %", "probes", "95 % CI", "Δ rank-1", "mJ/inference", kEdpHeader},
      {},
      {}};
  std::set<std::string> reasons;
  for (const ModelPlan& m : p.models) {
    if (!m.pruned) continue;
    const auto base_acc = r.accuracy(m.name, "fp32");
    const auto base1 = r.median_ms(m.name, "fp32", 1, "latency"), base_n = r.median_ms(m.name, "fp32", last, "latency");
    // The unpruned model's figures are the "before" of every prune cell's report.
    const std::string first_prune =
        p.prune_ratios.empty() ? "" : "prune/" + m.name + "/" + variant_key_pruned(p.prune_ratios.front());
    auto row = [&](const std::string& label, const std::string& key, const std::string& prune_id) {
      const bool unpruned = key == "fp32";
      const std::string cost_id = unpruned ? first_prune : prune_id;
      const char* side = unpruned ? "0" : "1";
      const auto acc = r.accuracy(m.name, key);
      const auto requested = r.number(prune_id, Json::json_pointer("/requested_ratio"));
      const auto real = r.number(prune_id, Json::json_pointer("/real_ratio"));
      const auto params = r.number(cost_id, Json::json_pointer(fmt::format("/cost/params/{}", side)));
      const auto macs = r.number(cost_id, Json::json_pointer(fmt::format("/cost/macs/{}", side)));
      const auto theory =
          unpruned ? std::optional(1.0) : r.number(prune_id, Json::json_pointer("/cost/theoretical_speedup"));
      t.rows.push_back(
          {m.name, label, requested ? fixed(100 * *requested, 1) : kMissing, real ? fixed(100 * *real, 1) : kMissing,
           millions(params), gmac(macs), theory ? fmt::format("{:.2f}x", *theory) : kMissing,
           ratio(base1, r.median_ms(m.name, key, 1, "latency")),
           ratio(base_n, r.median_ms(m.name, key, last, "latency")), fixed(acc, 2), count(r.probes(m.name, key)),
           interval(acc, r.probes(m.name, key)), acc && base_acc ? fmt::format("{:+.2f}", *acc - *base_acc) : kMissing,
           energy_cell(r, m.name, key, 1, "mj_per_inference", reasons),
           energy_cell(r, m.name, key, 1, "edp_mj_ms", reasons)});
    };
    row("unpruned", "fp32", "");
    for (double ratio_ : p.prune_ratios) {
      const std::string key = variant_key_pruned(ratio_);
      row(fmt::format("pruned {:g} %", 100 * ratio_), key, "prune/" + m.name + "/" + key);
      if (std::abs(ratio_ - p.combined_ratio) < 1e-9)
        row(fmt::format("pruned {:g} % + INT8", 100 * ratio_), key + "-int8", "prune/" + m.name + "/" + key);
    }
  }
  t.notes.push_back(
      "real % counts the filters of groups that cannot be pruned (classifier heads, GaitSet's HPM), "
      "as the paper's \"19 (20)\"; measured speed-up = unpruned FP32 median / this variant's");
  for (const ModelPlan& m : p.models)
    if (m.pruned && !m.prune_flags.empty())
      t.notes.push_back(fmt::format("{} is pruned with {} beyond the paper's recipe (why: docs/compress.md)", m.name,
                                    fmt::join(m.prune_flags, " ")));
  t.notes.push_back(
      "the paper: 2D-CNN pruned 30 % gained 1.19 points with EDP ÷1.28 on the Xavier; GaitSet pruned "
      "45 % (real) lost 3.95 points with EDP ÷4.88");
  t.notes.push_back(accuracy_note(p));
  add_energy_notes(t, reasons);
  return t;
}

ReportTable conversion_table(const StudyPreset& p, const CellResults& r) {
  const int64_t last = p.batches.back();
  ReportTable t{"table8",
                "Table 8 — 3D→2D: each 3-D convolution as a spatial then a temporal 2-D one (SVD initialised, not "
                "fine-tuned)",
                {"model", "M params", "GMAC", "rank-1 %", "probes", "95 % CI", "onednn b1 ms",
                 fmt::format("onednn b{} ms", last), "LibTorch b1 ms", "onednn speed-up"},
                {},
                {}};
  for (const ModelPlan& m : p.models) {
    if (!m.converted_to_2d) continue;
    const std::string convert = "convert/" + m.name + "/3d-to-2d";
    for (const auto& [key, label, side] : {std::tuple{"fp32", "3D", "before"}, {"3d-to-2d", "3D→2D", "after"}}) {
      const auto params = r.number(convert, Json::json_pointer(fmt::format("/{}/params", side)));
      const auto macs = r.number(convert, Json::json_pointer(fmt::format("/{}/macs", side)));
      const auto b1 = r.median_ms(m.name, key, 1, "latency"), torch = r.median_ms(m.name, key, 1, "latency", "torch");
      const auto accuracy = r.accuracy(m.name, key);
      const auto probes = r.probes(m.name, key);
      t.rows.push_back({fmt::format("{} ({})", m.name, label), millions(params), gmac(macs), fixed(accuracy, 2),
                        count(probes), interval(accuracy, probes), fixed(b1, 3),
                        fixed(r.median_ms(m.name, key, last, "latency"), 3), fixed(torch, 3), ratio(torch, b1)});
    }
  }
  t.notes.push_back(accuracy_note(p));
  return t;
}

ReportTable batch_table(const StudyPreset& p, const CellResults& r) {
  ReportTable t{
      "batch",
      "Figs. 8–9 — batch size: batch latency, and per-sample time, energy and EDP (onednn)",
      {"model", "precision", "batch", "batch ms", "ms/sample", "mJ/sample", fmt::format("EDP/sample {}", units::kEdp)},
      {},
      {}};
  std::set<std::string> reasons;
  for (const ModelPlan& m : p.models)
    for (const std::string key : {"fp32", "int8"})
      for (int b : p.batches) {
        const auto ms = r.median_ms(m.name, key, b, "latency");
        t.rows.push_back({m.name, key, std::to_string(b), fixed(ms, 3), ms ? fixed(*ms / b, 3) : kMissing,
                          energy_cell(r, m.name, key, b, "mj_per_sample", reasons),
                          energy_cell(r, m.name, key, b, "edp_per_sample_mj_ms", reasons)});
      }
  add_energy_notes(t, reasons);
  return t;
}

ReportTable calibration_table(const StudyPreset& p, const CellResults& r) {
  ReportTable t{"calibration",
                "INT8 calibrators: rank-1 % of the INT8 model with each way of choosing activation ranges",
                {"model", "variant", "FP32 rank-1 %"},
                {},
                {}};
  std::vector<std::string> methods;
  for (const ModelPlan& m : p.models)
    for (const std::string& id :
         {"quantize/" + m.name + "/int8", "quantize/" + m.name + "/" + variant_key_pruned(p.combined_ratio) + "-int8"})
      if (const Json* j = r.result(id); j && j->contains("methods"))
        for (const auto& [name, _] : (*j)["methods"].items())
          if (std::find(methods.begin(), methods.end(), name) == methods.end()) methods.push_back(name);
  for (const std::string& name : methods) t.header.push_back(name);
  t.header.insert(t.header.end(), {"chosen", "probes", "95 % CI chosen"});
  for (const ModelPlan& m : p.models)
    for (const std::string& key : {std::string("int8"), variant_key_pruned(p.combined_ratio) + "-int8"}) {
      const Json* j = r.result("quantize/" + m.name + "/" + key);
      if (!j) continue;
      std::vector<std::string> row = {
          m.name, key, fixed(r.number("quantize/" + m.name + "/" + key, Json::json_pointer("/accuracy_before")), 2)};
      for (const std::string& name : methods)
        row.push_back(j->contains("methods") && (*j)["methods"].contains(name)
                          ? fixed((*j)["methods"][name].get<double>(), 2)
                          : kMissing);
      const std::string chosen = j->value("method", std::string(kMissing));
      const auto chosen_accuracy =
          r.number("quantize/" + m.name + "/" + key, Json::json_pointer("/methods/" + chosen));
      // The same test subjects as the FP32 evaluation, so the same probes.
      const auto probes = r.probes(m.name, "fp32");
      row.insert(row.end(), {chosen, count(probes), interval(chosen_accuracy, probes)});
      t.rows.push_back(std::move(row));
    }
  t.notes.push_back("accuracy on the test subjects; calibration inputs come from the training subjects");
  t.notes.push_back(accuracy_note(p));
  return t;
}

ReportTable sensitivity_table(const StudyPreset& p, const CellResults& r) {
  ReportTable t{"sensitivity",
                "Pruning sensitivity: rank-1 % with one group of filters pruned alone (no fine-tuning)",
                {"model", "group", "filters", "unpruned", "probes", "95 % CI unpruned"},
                {},
                {}};
  for (double ratio_ : p.sensitivity_ratios) t.header.push_back(fmt::format("{:g} % pruned", 100 * ratio_));
  for (const ModelPlan& m : p.models) {
    const Json* j = r.result("sensitivity/" + m.name);
    if (!j || !j->contains("curves")) continue;
    const double unpruned = j->value("baseline_rank1", 0.0);
    const auto probes = j->contains("probes") ? std::optional((*j)["probes"].get<int64_t>()) : std::nullopt;
    t.notes.push_back(fmt::format("{}: rank-1 on the {} subjects of {}, made by `stride data synth` with seed {}",
                                  m.name, j->value("split", std::string("test")),
                                  m.dataset == "casia" ? p.casia_preset : p.tum_preset, p.data_seed));
    for (const Json& c : (*j)["curves"]) {
      std::vector<std::string> row = {
          m.name,        c.value("layers", ""),     std::to_string(c.value("channels", 0)), fixed(unpruned, 2),
          count(probes), interval(unpruned, probes)};
      for (const Json& a : c["rank1"]) row.push_back(fixed(a.get<double>(), 2));
      t.rows.push_back(std::move(row));
    }
  }
  t.notes.push_back("95 % CI: Wilson score interval over the probes; the pruned columns have the same probes");
  return t;
}

}  // namespace

std::vector<ReportTable> study_tables(const StudyPreset& preset, const Outcomes& outcomes) {
  const CellResults r(outcomes);
  // The tables that show times say where they were measured.
  const std::vector<std::string> provenance = timing_notes(outcomes);
  auto timed = [&](ReportTable t) {
    t.notes.insert(t.notes.end(), provenance.begin(), provenance.end());
    return t;
  };
  std::vector<ReportTable> tables = {timed(baseline_table(preset, r)), timed(precision_table(preset, r)),
                                     timed(pruning_table(preset, r))};
  if (ReportTable t = conversion_table(preset, r); !t.rows.empty()) tables.push_back(timed(std::move(t)));
  tables.push_back(timed(batch_table(preset, r)));
  tables.push_back(calibration_table(preset, r));
  if (ReportTable t = sensitivity_table(preset, r); !t.rows.empty()) tables.push_back(std::move(t));
  return tables;
}

std::string to_markdown(const ReportTable& t) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string s = "|";
    for (const std::string& c : cells) s += " " + c + " |";
    return s + "\n";
  };
  std::string md = "### " + t.title + "\n\n" + line(t.header);
  md += line(std::vector<std::string>(t.header.size(), "---"));
  for (const auto& row : t.rows) md += line(row);
  for (const std::string& n : t.notes) md += "\n- " + n;
  return md + "\n";
}

}  // namespace stride::study
