#include "stride/video/label_images.h"

#include <map>

#include "stride/core/error.h"
#include "stride/data/image_file.h"
#include "stride/video/tracking_metrics.h"

namespace stride::video {

std::vector<MotRow> label_boxes(const cv::Mat& labels, int64_t frame, int min_pixels) {
  if (labels.type() != CV_16UC1) fail("label_boxes: expected a 16-bit label image");
  struct Extent {
    int x0 = INT32_MAX, y0 = INT32_MAX, x1 = -1, y1 = -1, pixels = 0;
  };
  std::map<uint16_t, Extent> extents;
  for (int y = 0; y < labels.rows; ++y) {
    const auto* row = labels.ptr<uint16_t>(y);
    for (int x = 0; x < labels.cols; ++x) {
      if (row[x] == 0) continue;
      Extent& e = extents[row[x]];
      e.x0 = std::min(e.x0, x);
      e.x1 = std::max(e.x1, x);
      e.y0 = std::min(e.y0, y);
      e.y1 = std::max(e.y1, y);
      ++e.pixels;
    }
  }
  std::vector<MotRow> rows;
  for (const auto& [id, e] : extents)
    if (e.pixels >= min_pixels)
      rows.push_back({frame, id, {double(e.x0), double(e.y0), double(e.x1 - e.x0 + 1), double(e.y1 - e.y0 + 1)}, 1.0});
  return rows;
}

void write_label_image(const std::filesystem::path& folder, int64_t frame, const cv::Mat& labels) {
  data::write_png(label_image_path(folder, frame), labels);
}

}  // namespace stride::video
