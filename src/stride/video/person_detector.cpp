#include "stride/video/person_detector.h"

#include <algorithm>
#include <cmath>
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

constexpr int kBins = 16;
// Components smaller than this are speckle, never joined to a body.
constexpr int kMinComponentPixels = 20;

// Connected components that together make one person: a body cut across where its clothes match
// the background (a waist, a belt) falls apart into pieces stacked one above the other.
struct Blob {
  cv::Rect box;
  int area = 0;
  std::vector<int> components;
};

bool stacked(const cv::Rect& a, const cv::Rect& b) {
  const int overlap = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
  const int gap = std::max(a.y, b.y) - std::min(a.y + a.height, b.y + b.height);
  return overlap >= std::min(a.width, b.width) / 2 && gap <= std::max(a.height, b.height) * 3 / 10;
}

std::vector<Blob> stacked_blobs(const cv::Mat& stats, int count) {
  std::vector<Blob> blobs;
  for (int c = 1; c < count; ++c) {
    if (stats.at<int>(c, cv::CC_STAT_AREA) < kMinComponentPixels) continue;
    blobs.push_back({cv::Rect(stats.at<int>(c, cv::CC_STAT_LEFT), stats.at<int>(c, cv::CC_STAT_TOP),
                              stats.at<int>(c, cv::CC_STAT_WIDTH), stats.at<int>(c, cv::CC_STAT_HEIGHT)),
                     stats.at<int>(c, cv::CC_STAT_AREA), {c}});
  }
  // Join pairs until none is left: a handful of blobs per frame.
  for (bool joined = true; joined;) {
    joined = false;
    for (size_t i = 0; i < blobs.size() && !joined; ++i)
      for (size_t j = i + 1; j < blobs.size() && !joined; ++j)
        if (stacked(blobs[i].box, blobs[j].box)) {
          blobs[i].box |= blobs[j].box;
          blobs[i].area += blobs[j].area;
          blobs[i].components.insert(blobs[i].components.end(), blobs[j].components.begin(), blobs[j].components.end());
          blobs.erase(blobs.begin() + static_cast<long>(j));
          joined = true;
        }
  }
  return blobs;
}

}  // namespace

cv::Mat appearance_of(const cv::Mat& grey_box, const cv::Mat& mask) {
  cv::Mat hist = cv::Mat::zeros(1, 2 * kBins, CV_32FC1);
  const int half = grey_box.rows / 2;
  float counts[2] = {0, 0};
  for (int y = 0; y < grey_box.rows; ++y) {
    const int part = y < half ? 0 : 1;
    const auto* g = grey_box.ptr<uint8_t>(y);
    const auto* m = mask.ptr<uint8_t>(y);
    for (int x = 0; x < grey_box.cols; ++x)
      if (m[x]) {
        hist.at<float>(0, part * kBins + g[x] * kBins / 256) += 1;
        counts[part] += 1;
      }
  }
  for (int part = 0; part < 2; ++part)
    if (counts[part] > 0) hist.colRange(part * kBins, (part + 1) * kBins) /= counts[part];
  return hist;
}

double appearance_distance(const cv::Mat& a, const cv::Mat& b) {
  double distance = 0;
  for (int part = 0; part < 2; ++part) {
    double overlap = 0;
    for (int i = part * kBins; i < (part + 1) * kBins; ++i)
      overlap += std::sqrt(static_cast<double>(a.at<float>(0, i)) * b.at<float>(0, i));
    distance += std::sqrt(std::max(0.0, 1.0 - overlap));
  }
  return distance / 2;
}

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
  cv::cvtColor(frame, grey_, cv::COLOR_BGR2GRAY);
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
      found.push_back({to_box(r), foreground_(r).clone(), weights[i], appearance_of(grey_(r), foreground_(r))});
    }
    return found;
  }
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(foreground_, labels, stats, centroids, 8, CV_32S);
  for (const Blob& blob : stacked_blobs(stats, count)) {
    if (blob.area < min_area || blob.box.height < min_height) continue;
    cv::Mat mask = cv::Mat::zeros(blob.box.size(), CV_8UC1);
    for (int c : blob.components) mask |= labels(blob.box) == c;
    found.push_back({to_box(blob.box), mask, 1.0, appearance_of(grey_(blob.box), mask)});
  }
  return found;
}

}  // namespace stride::video
