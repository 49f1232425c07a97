#include "stride/report/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "stride/core/error.h"
#include "stride/report/markup_escape.h"

namespace stride {
namespace {

// The plotting area is fixed; the legend to its right is as wide as its longest name.
constexpr double kPlotWidth = 380, kPlotHeight = 300;
constexpr double kLeft = 70, kTop = 40, kBottom = 60;
constexpr double kLegendCharWidth = 7.2;  // of the 12 px sans-serif labels, generously
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string tick_label(double v, double step) {
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int count) {
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
  }
  const double raw = (high - low) / std::max(count - 1, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> ticks;
  for (double v = std::floor(low / step) * step; v <= high + step * 1e-9; v += step) ticks.push_back(v);
  if (ticks.back() < high - step * 1e-9) ticks.push_back(ticks.back() + step);
  return ticks;
}

std::string render_svg(const LinePlot& plot) {
  double x_min = INFINITY, x_max = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
  for (const PlotSeries& s : plot.series) {
    if (s.x.size() != s.y.size())
      fail("plot '{}': series '{}' has {} x and {} y values", plot.title, s.name, s.x.size(), s.y.size());
    for (size_t i = 0; i < s.x.size(); ++i) {
      x_min = std::min(x_min, s.x[i]), x_max = std::max(x_max, s.x[i]);
      y_min = std::min(y_min, s.y[i]), y_max = std::max(y_max, s.y[i]);
    }
  }
  if (!std::isfinite(x_min)) fail("plot '{}' has no points", plot.title);
  const std::vector<double> xt = nice_ticks(x_min, x_max, 6), yt = nice_ticks(y_min, y_max, 6);
  const double x0 = xt.front(), x1 = xt.back(), y0 = yt.front(), y1 = yt.back();
  size_t longest = plot.x_label.size() / 2;
  for (const PlotSeries& s : plot.series) longest = std::max(longest, s.name.size());
  const double pw = kPlotWidth, ph = kPlotHeight;
  const double width = kLeft + pw + 60 + kLegendCharWidth * static_cast<double>(longest);
  const double height = kTop + ph + kBottom;
  auto px = [&](double x) { return kLeft + (x - x0) / (x1 - x0) * pw; };
  auto py = [&](double y) { return kTop + ph - (y - y0) / (y1 - y0) * ph; };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{}</text>\n",
      width, height, width, height, kLeft + pw / 2, escape_markup(plot.title));
  svg += "<g class=\"x-axis\">\n";
  for (double t : xt)
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
        px(t), kTop, kTop + ph, kTop + ph + 18, tick_label(t, xt[1] - xt[0]));
  svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", kLeft, kTop + ph, kLeft + pw,
                     kTop + ph);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n</g>\n", kLeft + pw / 2, height - 15,
                     escape_markup(plot.x_label));
  svg += "<g class=\"y-axis\">\n";
  for (double t : yt)
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        kLeft, py(t), kLeft + pw, kLeft - 6, py(t) + 4, tick_label(t, yt[1] - yt[0]));
  svg +=
      fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n", kLeft, kTop, kLeft, kTop + ph);
  svg += fmt::format("<text transform=\"translate(18,{}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n</g>\n",
                     kTop + ph / 2, escape_markup(plot.y_label));
  for (size_t i = 0; i < plot.series.size(); ++i) {
    const PlotSeries& s = plot.series[i];
    const size_t palette_index = s.colour >= 0 ? static_cast<size_t>(s.colour) : i;
    const char* colour = kColours[palette_index % std::size(kColours)];
    std::string points;
    for (size_t k = 0; k < s.x.size(); ++k) points += fmt::format("{:.1f},{:.1f} ", px(s.x[k]), py(s.y[k]));
    if (!s.labels.empty() && s.labels.size() != s.x.size())
      fail("plot '{}': series '{}' has {} labels for {} points", plot.title, s.name, s.labels.size(), s.x.size());
    svg += fmt::format("<g class=\"series\" data-name=\"{}\">\n", escape_markup(s.name));
    if (s.line)
      svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", colour, points);
    for (size_t k = 0; k < s.x.size(); ++k)
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\">{}</circle>\n", px(s.x[k]),
                         py(s.y[k]), s.line ? 3 : 4, colour,
                         s.labels.empty() ? "" : "<title>" + escape_markup(s.labels[k]) + "</title>");
    const double ly = kTop + 10 + 18 * static_cast<double>(i);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/>"
        "<text x=\"{4}\" y=\"{5}\">{6}</text>\n</g>\n",
        kLeft + pw + 15, ly, kLeft + pw + 35, colour, kLeft + pw + 40, ly + 4, escape_markup(s.name));
  }
  return svg + "</svg>\n";
}

}  // namespace stride
