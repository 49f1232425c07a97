#include "stride/data/har_preview.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <set>
#include <vector>

#include "stride/core/error.h"
#include "stride/core/memory_budget.h"

namespace stride::data {
namespace {

constexpr int kLabelWidth = 190, kLegendHeight = 24, kGap = 2;
constexpr int kTileWidth = 384, kTileHeight = 288;  // at scale 1: three pixels per sample, three lanes
// Lanes: body_acc, body_gyro, total_acc; each spans +-range of its unit.
constexpr std::array<double, 3> kLaneRange{1.0, 3.0, 2.0};
const std::array<cv::Scalar, 3> kAxisColour{cv::Scalar(80, 80, 255), cv::Scalar(80, 210, 80), cv::Scalar(255, 150, 60)};

void draw_window(cv::Mat& sheet, const cv::Rect& tile, const float* window) {
  sheet(tile).setTo(cv::Scalar(32, 32, 32));
  const int lane_height = std::max(1, tile.height / 3);
  for (int lane = 0; lane < 3; ++lane) {
    const int top = tile.y + lane * lane_height;
    const int middle = top + lane_height / 2;
    cv::line(sheet, {tile.x, middle}, {tile.x + tile.width - 1, middle}, cv::Scalar(90, 90, 90), 1);
    if (lane > 0) cv::line(sheet, {tile.x, top}, {tile.x + tile.width - 1, top}, cv::Scalar(60, 60, 60), 1);
    for (int axis = 0; axis < 3; ++axis) {
      const float* v = window + (lane * 3 + axis) * kHarWindowSamples;
      std::vector<cv::Point> points;
      for (int s = 0; s < kHarWindowSamples; ++s) {
        const double height = std::clamp(v[s] / kLaneRange[static_cast<size_t>(lane)], -1.0, 1.0);
        points.emplace_back(tile.x + static_cast<int>(std::lround(s * (tile.width - 1.0) / (kHarWindowSamples - 1))),
                            middle - static_cast<int>(std::lround(height * (lane_height / 2 - 1))));
      }
      cv::polylines(sheet, points, false, kAxisColour[static_cast<size_t>(axis)], 1, cv::LINE_AA);
    }
  }
}

}  // namespace

cv::Mat draw_har_sheet(const HarWindows& windows, const PreviewOptions& options) {
  if (options.subjects < 1 || options.frames < 1 || !(options.scale > 0.0) || options.scale > 4.0)
    fail("preview: subjects and frames must be at least 1 and scale in (0, 4]");
  const std::set<int> all(windows.subjects.begin(), windows.subjects.end());
  std::set<int> shown;
  for (int s : all)
    if (static_cast<int>(shown.size()) < options.subjects) shown.insert(s);
  const int activities = static_cast<int>(windows.activity_names.size());
  std::vector<std::vector<size_t>> rows(static_cast<size_t>(activities));
  for (size_t w = 0; w < windows.labels.size(); ++w)
    if (shown.count(windows.subjects[w])) rows[static_cast<size_t>(windows.labels[w])].push_back(w);

  const cv::Size tile(std::max(8, static_cast<int>(kTileWidth * options.scale)),
                      std::max(6, static_cast<int>(kTileHeight * options.scale)));
  const int cols = options.frames;
  const uint64_t height = kLegendHeight + activities * static_cast<uint64_t>(tile.height + kGap) + kGap;
  const uint64_t width = kLabelWidth + static_cast<uint64_t>(cols) * static_cast<uint64_t>(tile.width + kGap) + kGap;
  check_memory(3 * width * height, fmt::format("a preview sheet of {}x{} pixels", width, height));
  if (width > INT_MAX / 4 || height > INT_MAX / 4)
    fail("a preview sheet of {}x{} pixels is larger than an image can be: ask for fewer --frames", width, height);
  cv::Mat sheet(static_cast<int>(height), static_cast<int>(width), CV_8UC3, cv::Scalar(70, 70, 70));
  const auto text = [&](const std::string& s, cv::Point at, cv::Scalar colour = cv::Scalar(255, 255, 255)) {
    cv::putText(sheet, s, at, cv::FONT_HERSHEY_SIMPLEX, 0.42, colour, 1, cv::LINE_AA);
  };
  const std::string legend = "lanes: body_acc +-1 g, body_gyro +-3 rad/s, total_acc +-2 g; axes:";
  text(legend, {6, 16});
  int baseline = 0;
  int x = 6 + cv::getTextSize(legend, cv::FONT_HERSHEY_SIMPLEX, 0.42, 1, &baseline).width + 8;
  for (int axis = 0; axis < 3; ++axis, x += 16)
    text(std::string(1, "xyz"[axis]), {x, 16}, kAxisColour[static_cast<size_t>(axis)]);
  for (int r = 0; r < activities; ++r) {
    const std::vector<size_t>& row = rows[static_cast<size_t>(r)];
    const int top = kLegendHeight + kGap + r * (tile.height + kGap);
    text(windows.activity_names[static_cast<size_t>(r)], {6, top + tile.height / 2});
    text(fmt::format("{} windows", row.size()), {6, top + tile.height / 2 + 18}, cv::Scalar(200, 200, 200));
    for (int c = 0; c < cols && !row.empty(); ++c) {
      const size_t pick = cols == 1 ? 0 : static_cast<size_t>(c) * (row.size() - 1) / static_cast<size_t>(cols - 1);
      const float* window = windows.signals.data<float>() + row[pick] * kHarChannels * kHarWindowSamples;
      draw_window(sheet, cv::Rect(kLabelWidth + kGap + c * (tile.width + kGap), top, tile.width, tile.height), window);
    }
  }
  return sheet;
}

}  // namespace stride::data
