#include "stride/video/track_drawing.h"

#include <fmt/format.h>

#include <opencv2/imgproc.hpp>

namespace stride::video {
namespace {

// Well-separated hues by the golden angle, so that neighbouring ids get unlike colours.
cv::Scalar colour_of(int64_t id) {
  const double hue = std::fmod(static_cast<double>(id) * 137.508, 360.0) / 2;  // OpenCV hue: 0..180
  cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(hue, 220, 255)), bgr;
  cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
  const auto c = bgr.at<cv::Vec3b>(0, 0);
  return {static_cast<double>(c[0]), static_cast<double>(c[1]), static_cast<double>(c[2])};
}

}  // namespace

void draw_tracks(cv::Mat& frame, const std::vector<TrackedPerson>& people) {
  const cv::Rect whole(0, 0, frame.cols, frame.rows);
  for (const TrackedPerson& p : people) {
    const cv::Scalar colour = colour_of(p.id);
    const cv::Rect box = cv::Rect(static_cast<int>(p.box.x), static_cast<int>(p.box.y), static_cast<int>(p.box.w),
                                  static_cast<int>(p.box.h)) & whole;
    if (!p.mask.empty() && box.area() > 0) {
      cv::Mat region = frame(box), tinted;
      cv::addWeighted(region, 0.5, cv::Mat(region.size(), CV_8UC3, colour), 0.5, 0, tinted);
      tinted.copyTo(region, p.mask(cv::Rect(0, 0, box.width, box.height)));
    }
    cv::rectangle(frame, box, colour, 2);
    cv::putText(frame, fmt::format("{}", p.id), {box.x, std::max(12, box.y - 4)}, cv::FONT_HERSHEY_SIMPLEX, 0.5, colour, 2);
  }
}

}  // namespace stride::video
