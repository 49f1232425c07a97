#include "stride/study/study_figures.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "stride/core/units.h"
#include "stride/study/cell_results.h"

namespace stride::study {
namespace {

using Json = nlohmann::json;

// Every variant of a model with an accuracy and a batch-1 time, in the order the tables list them.
std::vector<std::string> variant_keys(const StudyPreset& p, const ModelPlan& m) {
  std::vector<std::string> keys = {"fp32", "fp16", "bf16", "int8"};
  for (double r : m.pruned ? p.prune_ratios : std::vector<double>{}) {
    keys.push_back(variant_key_pruned(r));
    if (std::abs(r - p.combined_ratio) < 1e-9) keys.push_back(variant_key_pruned(r) + "-int8");
  }
  if (m.converted_to_2d) keys.push_back("3d-to-2d");
  return keys;
}

std::string not_drawn_for(const std::set<std::string>& reasons) {
  std::string why;
  for (const std::string& r : reasons) why += (why.empty() ? "" : "; ") + r;
  return why.empty() ? "no cell measured these figures" : why;
}

ReportFigure figure(std::string id, const LinePlot& plot, const std::string& caption, const std::string& why) {
  bool any = false;
  for (const PlotSeries& s : plot.series) any = any || !s.x.empty();
  if (!any) return {std::move(id), caption, "", why};
  return {std::move(id), caption, render_svg(plot), ""};
}

// Accuracy against a cost (batch-1 median ms, or EDP) for every variant, with each model's front.
ReportFigure trade_off(const StudyPreset& p, const CellResults& r, bool edp) {
  LinePlot plot{edp ? "Accuracy vs energy-delay product (batch 1, onednn)" : "Accuracy vs latency (batch 1, onednn)",
                edp ? fmt::format("EDP ({})", units::kEdp) : "median latency (ms)",
                "rank-1 (%)",
                {}};
  std::set<std::string> reasons;
  std::vector<PlotSeries> fronts;
  for (size_t model = 0; model < p.models.size(); ++model) {
    const ModelPlan& m = p.models[model];
    PlotSeries points{m.name, {}, {}, false, {}, static_cast<int>(model)};
    for (const std::string& key : variant_keys(p, m)) {
      const auto accuracy = r.accuracy(m.name, key);
      const auto cost = edp ? r.energy(m.name, key, 1, "edp_mj_ms", reasons) : r.median_ms(m.name, key, 1, "latency");
      if (!accuracy || !cost) continue;
      points.x.push_back(*cost);
      points.y.push_back(*accuracy);
      points.labels.push_back(fmt::format("{} {}: {:.2f} %, {:.3f}", m.name, key, *accuracy, *cost));
    }
    if (points.x.empty()) continue;
    fronts.push_back(pareto_front(points, m.name + " Pareto front"));
    fronts.back().colour = points.colour;  // the front in its model's colour
    plot.series.push_back(std::move(points));
  }
  for (PlotSeries& f : fronts) plot.series.push_back(std::move(f));
  return figure(edp ? "accuracy-edp" : "accuracy-latency", plot,
                "Every variant (precision, pruning, 3D→2D) of each model; the line joins the variants no other "
                "variant of the model beats on both accuracy and cost.",
                not_drawn_for(reasons));
}

// Per-sample time, energy or EDP against batch size (the paper's Figs. 8–9).
ReportFigure per_sample(const StudyPreset& p, const CellResults& r, const std::string& what) {
  const bool time = what == "time";
  LinePlot plot{
      fmt::format("Per-sample {} vs batch size (onednn)", what),
      "batch size",
      time ? "ms per sample" : (what == "energy" ? "mJ per sample" : fmt::format("EDP per sample ({})", units::kEdp)),
      {}};
  std::set<std::string> reasons;
  for (const ModelPlan& m : p.models)
    for (const std::string key : {"fp32", "int8"}) {
      PlotSeries s{m.name + " " + key, {}, {}, true, {}};
      for (int b : p.batches) {
        std::optional<double> v;
        if (time) {
          if (const auto ms = r.median_ms(m.name, key, b, "latency")) v = *ms / b;
        } else {
          v = r.energy(m.name, key, b, what == "energy" ? "mj_per_sample" : "edp_per_sample_mj_ms", reasons);
        }
        if (!v) continue;
        s.x.push_back(b);
        s.y.push_back(*v);
      }
      if (!s.x.empty()) plot.series.push_back(std::move(s));
    }
  return figure("batch-" + what, plot,
                fmt::format("Per-sample {} of the FP32 and INT8 files at each batch size.", what),
                not_drawn_for(reasons));
}

ReportFigure sensitivity(const CellResults& r, const ModelPlan& m) {
  LinePlot plot{fmt::format("Sensitivity of {} (L1, no fine-tuning)", m.name),
                "fraction of the group's filters removed",
                "rank-1 (%)",
                {}};
  if (const Json* j = r.result("sensitivity/" + m.name); j && j->contains("curves"))
    for (const Json& c : (*j)["curves"]) {
      PlotSeries s{c.value("layers", ""), {0.0}, {j->value("baseline_rank1", 0.0)}, true, {}};
      for (const Json& x : c["ratios"]) s.x.push_back(x.get<double>());
      for (const Json& y : c["rank1"]) s.y.push_back(y.get<double>());
      plot.series.push_back(std::move(s));
    }
  return figure("sensitivity-" + m.name, plot,
                fmt::format("Each group of {}'s filters pruned alone: where pruning costs accuracy.", m.name),
                "the sensitivity cell did not run");
}

ReportFigure speedups(const StudyPreset& p, const CellResults& r) {
  LinePlot plot{"Measured vs theoretical speed-up of pruning (onednn)",
                "theoretical speed-up (MACs ratio)",
                "measured speed-up (median ratio)",
                {}};
  double most = 1;
  for (const ModelPlan& m : p.models)
    for (const int64_t b : {int64_t{1}, int64_t{p.batches.back()}}) {
      if (!m.pruned) continue;
      PlotSeries s{fmt::format("{} batch {}", m.name, b), {}, {}, false, {}};
      const auto base = r.median_ms(m.name, "fp32", b, "latency");
      for (double ratio : p.prune_ratios) {
        const std::string key = variant_key_pruned(ratio);
        const auto theory = r.number("prune/" + m.name + "/" + key, Json::json_pointer("/cost/theoretical_speedup"));
        const auto ms = r.median_ms(m.name, key, b, "latency");
        if (!theory || !ms || !base) continue;
        s.x.push_back(*theory);
        s.y.push_back(*base / *ms);
        s.labels.push_back(fmt::format("{} pruned {:g} %, batch {}", m.name, 100 * ratio, b));
        most = std::max({most, *theory, *base / *ms});
      }
      if (!s.x.empty()) plot.series.push_back(std::move(s));
    }
  if (!plot.series.empty()) plot.series.push_back({"measured = theoretical", {1, most}, {1, most}, true, {}});
  return figure("speedup", plot, "Pruned variants: the speed-up the MACs promise against the one measured.",
                "no pruned variant was measured");
}

}  // namespace

PlotSeries pareto_front(const PlotSeries& points, std::string name) {
  std::vector<size_t> order(points.x.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return points.x[a] != points.x[b] ? points.x[a] < points.x[b] : points.y[a] > points.y[b];
  });
  PlotSeries front{std::move(name), {}, {}, true, {}, -1};
  for (size_t i : order)
    if (front.y.empty() || points.y[i] > front.y.back()) {
      front.x.push_back(points.x[i]);
      front.y.push_back(points.y[i]);
      if (!points.labels.empty()) front.labels.push_back(points.labels[i]);
    }
  return front;
}

std::vector<ReportFigure> study_figures(const StudyPreset& preset, const Outcomes& outcomes) {
  const CellResults r(outcomes);
  std::vector<ReportFigure> figures = {trade_off(preset, r, false),   trade_off(preset, r, true),
                                       per_sample(preset, r, "time"), per_sample(preset, r, "energy"),
                                       per_sample(preset, r, "EDP"),  speedups(preset, r)};
  for (const ModelPlan& m : preset.models)
    if (m.pruned && !preset.sensitivity_ratios.empty()) figures.push_back(sensitivity(r, m));
  return figures;
}

}  // namespace stride::study
