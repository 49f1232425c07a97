#pragma once
// The study's plots, drawn from the cells' results with Stride's own SVG writer (report/svg_plot.h):
// accuracy against latency and against EDP with each model's Pareto front, per-sample time, energy
// and EDP against batch size, pruning sensitivity, and measured against theoretical speed-up.
// A plot whose figures this machine cannot measure (energy without a meter) is replaced by the
// reason, never drawn from estimates.
#include <string>
#include <vector>

#include "stride/report/svg_plot.h"
#include "stride/study/study_tables.h"

namespace stride::study {

struct ReportFigure {
  std::string id;
  std::string caption;
  std::string svg;        // empty when not drawn
  std::string not_drawn;  // why, when not drawn
};

std::vector<ReportFigure> study_figures(const StudyPreset& preset, const Outcomes& outcomes);

// The points of `x`, `y` that no other point beats on both (lower x, higher y), sorted by x.
PlotSeries pareto_front(const PlotSeries& points, std::string name);

}  // namespace stride::study
