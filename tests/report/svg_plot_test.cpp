// The SVG plot: round ticks, every point drawn where its value says, and refusals.
#include "stride/report/svg_plot.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "stride/core/error.h"

namespace stride {
namespace {

TEST(NiceTicks, CoverTheRangeWithRoundSteps) {
  EXPECT_EQ(nice_ticks(0, 1, 6), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  const std::vector<double> t = nice_ticks(13, 87, 5);
  EXPECT_EQ(t.front(), 0);
  EXPECT_EQ(t.back(), 100);
  EXPECT_EQ(t[1] - t[0], 20);
}

TEST(SvgPlot, DrawsAxesLegendAndOneMarkerPerPoint) {
  LinePlot plot{
      "Sensitivity <test>", "ratio", "rank-1 (%)", {{"a", {0.1, 0.5, 0.9}, {80, 60, 20}}, {"b", {0.1, 0.9}, {70, 10}}}};
  const std::string svg = render_svg(plot);
  EXPECT_NE(svg.find("<g class=\"x-axis\">"), std::string::npos);
  EXPECT_NE(svg.find("<g class=\"y-axis\">"), std::string::npos);
  EXPECT_NE(svg.find("Sensitivity &lt;test&gt;"), std::string::npos);
  const std::regex circle("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");
  std::vector<std::pair<double, double>> points;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator(); ++it)
    points.push_back({std::stod((*it)[1]), std::stod((*it)[2])});
  ASSERT_EQ(points.size(), 5u);
  // x ticks 0..1 over [70, 450], y ticks 0..80 over [340, 40].
  EXPECT_NEAR(points[0].first, 70 + 0.1 * 380, 0.1);
  EXPECT_NEAR(points[0].second, 40, 0.1);
  EXPECT_NEAR(points[4].first, 70 + 0.9 * 380, 0.1);
  EXPECT_NEAR(points[4].second, 340 - 10.0 / 80 * 300, 0.1);
}

TEST(SvgPlot, ScatterSeriesHaveNoLineAndShareAColourWhenAsked) {
  LinePlot plot{"t", "x", "y", {{"points", {1, 2}, {3, 4}, false, {"a", "b"}, 2}, {"front", {1}, {3}, true, {}, 2}}};
  const std::string svg = render_svg(plot);
  EXPECT_EQ(svg.find("<polyline fill=\"none\" stroke=\"#2ca02c\""), svg.rfind("<polyline"));  // the front's only
  EXPECT_NE(svg.find("<title>a</title>"), std::string::npos);
  std::smatch m;
  const std::regex fill("fill=\"(#[0-9a-f]{6})\"");
  std::set<std::string> colours;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), fill); it != std::sregex_iterator(); ++it)
    colours.insert((*it)[1]);
  EXPECT_EQ(colours, std::set<std::string>{"#2ca02c"});
  EXPECT_THROW(render_svg({"t", "x", "y", {{"s", {1, 2}, {1, 2}, false, {"only one"}}}}), Error);
}

TEST(SvgPlot, RefusesEmptyAndRaggedSeries) {
  EXPECT_THROW(render_svg({"t", "x", "y", {}}), Error);
  EXPECT_THROW(render_svg({"t", "x", "y", {{"s", {1, 2}, {1}}}}), Error);
}

}  // namespace
}  // namespace stride
