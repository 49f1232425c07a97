#include "stride/video/person_detector.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"

namespace stride::video {
namespace {

Box to_box(const cv::Rect& r) {
  return {static_cast<double>(r.x), static_cast<double>(r.y), static_cast<double>(r.width),
          static_cast<double>(r.height)};
}

cv::Rect to_rect(const Box& b, const cv::Size& frame) {
  const cv::Rect r(static_cast<int>(b.x), static_cast<int>(b.y), static_cast<int>(b.w), static_cast<int>(b.h));
  return r & cv::Rect(0, 0, frame.width, frame.height);
}

}  // namespace

DetectorKind parse_detector(const std::string& name) {
  if (name == "mog2") return DetectorKind::mog2;
  if (name == "hog") return DetectorKind::hog;
  fail("--detector {}: expected mog2 or hog", name);
}

PersonDetector::PersonDetector(const DetectorOptions& options)
    : options_(options), background_(cv::createBackgroundSubtractorMOG2(options.history, 16.0, false)) {
  if (options.kind == DetectorKind::hog) hog_.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
}

std::vector<Detection> PersonDetector::detect(const cv::Mat& frame) {
  cv::Mat raw;
  background_->apply(frame, raw);
  // Speckle off, then the body's holes and thin gaps closed with a tall kernel (people are upright).
  cv::morphologyEx(raw, foreground_, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3}));
  cv::morphologyEx(foreground_, foreground_, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, {7, 15}));

  std::vector<Detection> found;
  const double min_area = options_.min_area_share * frame.total();
  const double min_height = options_.min_height_share * frame.rows;
  if (options_.kind == DetectorKind::hog) {
    std::vector<cv::Rect> boxes;
    std::vector<double> weights;
    hog_.detectMultiScale(frame, boxes, weights);
    for (size_t i = 0; i < boxes.size(); ++i) {
      const cv::Rect r = to_rect(to_box(boxes[i]), frame.size());
      if (r.area() == 0) continue;
      found.push_back({to_box(r), foreground_(r).clone(), weights[i]});
    }
    return found;
  }
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(foreground_, labels, stats, centroids, 8, CV_32S);
  for (int c = 1; c < count; ++c) {
    const cv::Rect r(stats.at<int>(c, cv::CC_STAT_LEFT), stats.at<int>(c, cv::CC_STAT_TOP),
                     stats.at<int>(c, cv::CC_STAT_WIDTH), stats.at<int>(c, cv::CC_STAT_HEIGHT));
    if (stats.at<int>(c, cv::CC_STAT_AREA) < min_area || r.height < min_height) continue;
    cv::Mat mask = labels(r) == c;
    found.push_back({to_box(r), mask, 1.0});
  }
  return found;
}

}  // namespace stride::video
