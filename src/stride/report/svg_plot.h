#pragma once
// A small SVG line plot with real axes: ticks at round values, axis titles, one polyline and
// markers per series, and a legend. Self-contained text, so that reports embed it inline.
#include <string>
#include <vector>

namespace stride {

struct PlotSeries {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;            // parallel to x
  bool line = true;                 // false: markers only (a scatter)
  std::vector<std::string> labels;  // empty, or one per point: shown when the pointer rests on it
  int colour = -1;                  // index into the palette; -1: the series' own position
};

struct LinePlot {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<PlotSeries> series;
};

// Throws stride::Error when there is no point to draw or a series' x and y differ in length.
std::string render_svg(const LinePlot& plot);

// Round tick values covering [low, high], about `count` of them (1, 2 or 5 times a power of ten apart).
std::vector<double> nice_ticks(double low, double high, int count);

}  // namespace stride
