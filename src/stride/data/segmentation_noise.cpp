#include "stride/data/segmentation_noise.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "stride/data/rng.h"
#include "stride/data/value_noise.h"

namespace stride::data {
namespace {

constexpr uint64_t kFrameStream = 1, kRecordingStream = 2;

// Moves the outline by a smooth random displacement of up to `amplitude` pixels.
cv::Mat jitter_outline(const cv::Mat& mask, const cv::Rect& box, double amplitude, Rng& rng) {
  cv::Mat out = mask.clone();
  const cv::Mat dx = noise_image(box.width, box.height, 9.0, rng.next());
  const cv::Mat dy = noise_image(box.width, box.height, 9.0, rng.next());
  for (int y = 0; y < box.height; ++y) {
    for (int x = 0; x < box.width; ++x) {
      const int sx = static_cast<int>(std::lround(box.x + x + amplitude * (2.0 * dx.at<float>(y, x) - 1.0)));
      const int sy = static_cast<int>(std::lround(box.y + y + amplitude * (2.0 * dy.at<float>(y, x) - 1.0)));
      const bool inside = sx >= 0 && sy >= 0 && sx < mask.cols && sy < mask.rows;
      out.at<uint8_t>(box.y + y, box.x + x) = inside ? mask.at<uint8_t>(sy, sx) : 0;
    }
  }
  return out;
}

// Flips outline pixels (those with a 4-neighbour of the other value) with the given chance.
void speckle(cv::Mat& mask, const cv::Rect& box, double chance, Rng& rng) {
  const cv::Mat before = mask.clone();
  for (int y = std::max(box.y, 1); y < std::min(box.y + box.height, mask.rows - 1); ++y) {
    for (int x = std::max(box.x, 1); x < std::min(box.x + box.width, mask.cols - 1); ++x) {
      const uint8_t v = before.at<uint8_t>(y, x);
      const bool edge = before.at<uint8_t>(y - 1, x) != v || before.at<uint8_t>(y + 1, x) != v ||
                        before.at<uint8_t>(y, x - 1) != v || before.at<uint8_t>(y, x + 1) != v;
      if (edge && rng.chance(chance)) mask.at<uint8_t>(y, x) = static_cast<uint8_t>(255 - v);
    }
  }
}

void punch_holes(cv::Mat& mask, const cv::Rect& box, double mean_count, Rng& rng) {
  const int count = static_cast<int>(mean_count + rng.uniform());
  const double scale = box.height / 150.0;
  for (int i = 0; i < count; ++i) {
    // A hole needs a body pixel to sit on; a few tries find one in all but the thinnest outlines.
    for (int attempt = 0; attempt < 20; ++attempt) {
      const cv::Point at(box.x + rng.below(box.width), box.y + rng.below(box.height));
      if (mask.at<uint8_t>(at) == 0) continue;
      const cv::Size axes(std::max(1, static_cast<int>(rng.uniform(1.5, 5.0) * scale)),
                          std::max(1, static_cast<int>(rng.uniform(1.5, 5.0) * scale)));
      cv::ellipse(mask, at, axes, rng.uniform(0.0, 180.0), 0, 360, cv::Scalar(0), cv::FILLED);
      break;
    }
  }
}

// A horizontal band of the body where blotches are lost, as when clothes match the background.
void drop_band(cv::Mat& mask, const cv::Rect& box, Rng& rng) {
  const int band = std::max(1, static_cast<int>(box.height * rng.uniform(0.1, 0.3)));
  const int top = box.y + rng.below(std::max(1, box.height - band));
  const cv::Mat blotches = noise_image(box.width, band, 6.0, rng.next());
  for (int y = 0; y < band; ++y)
    for (int x = 0; x < box.width; ++x)
      if (blotches.at<float>(y, x) > 0.45f) mask.at<uint8_t>(top + y, box.x + x) = 0;
}

}  // namespace

SegmentationCorruptor::SegmentationCorruptor(const SegmentationNoise& noise, int frames, uint64_t seed)
    : noise_(noise), seed_(seed) {
  Rng rng(derive_seed(seed, {kRecordingStream}));
  if (rng.chance(noise.blank_frame_chance)) blank_frame_ = rng.below(frames);
  shadow_ = rng.chance(noise.shadow_chance);
  shadow_length_ = rng.uniform(0.1, 0.25);
  shadow_shift_ = rng.uniform(-0.15, 0.15);
}

cv::Mat SegmentationCorruptor::apply(const cv::Mat& mask, int frame) const {
  if (frame == blank_frame_) return cv::Mat::zeros(mask.size(), CV_8UC1);
  const cv::Rect body = cv::boundingRect(mask);
  if (body.empty()) return mask.clone();
  Rng rng(derive_seed(seed_, {kFrameStream, static_cast<uint64_t>(frame)}));
  cv::Mat out = mask.clone();
  if (shadow_) {
    const cv::Point feet(body.x + body.width / 2 + static_cast<int>(shadow_shift_ * body.height),
                         body.y + body.height - 1);
    const cv::Size axes(static_cast<int>(shadow_length_ * body.height), std::max(1, body.height / 50));
    cv::ellipse(out, feet, axes, 0, 0, 360, cv::Scalar(255), cv::FILLED);
  }
  const int margin = static_cast<int>(std::ceil(noise_.edge_jitter)) + 1;
  const cv::Rect area = (cv::boundingRect(out) + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) &
                        cv::Rect(0, 0, mask.cols, mask.rows);
  if (noise_.edge_jitter > 0) out = jitter_outline(out, area, noise_.edge_jitter, rng);
  speckle(out, area, noise_.speckle, rng);
  punch_holes(out, body, noise_.holes_per_frame, rng);
  if (rng.chance(noise_.dropout_chance)) drop_band(out, body, rng);
  return out;
}

}  // namespace stride::data
