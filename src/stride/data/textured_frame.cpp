#include "stride/data/textured_frame.h"

#include <algorithm>
#include <cmath>

#include "stride/data/rng.h"
#include "stride/data/value_noise.h"

namespace stride::data {
namespace {

double albedo(Material material, const FrameLook& look) {
  const Appearance& a = look.appearance;
  switch (material) {
    case Material::skin:
      return a.skin;
    case Material::hair:
      return a.hair;
    case Material::shirt:
      return a.shirt;
    case Material::trousers:
      return a.trousers;
    case Material::shoes:
      return a.shoes;
    case Material::coat:
      return look.outfit.coat_grey;
    case Material::bag:
      return look.outfit.bag_grey;
  }
  return a.skin;
}

// Two octaves of 3-D noise in the segment's own frame, centred on 0.
double cloth_texture(const Body& body, const Ellipsoid& part, const Vec3& position, const FrameLook& look) {
  const Segment& seg = body.segments[static_cast<size_t>(part.segment)];
  const Vec3 local = seg.axes.transposed_times(position - seg.origin) * (1.0 / look.appearance.texture_scale);
  const uint64_t seed = look.texture_seed + static_cast<uint64_t>(part.material);
  return (value_noise(local, seed) - 0.5) + 0.5 * (value_noise(local * 2.7, seed + 101) - 0.5);
}

}  // namespace

cv::Mat studio_background(int width, int height, uint64_t seed) {
  const cv::Mat coarse = noise_image(width, height, 23.0, seed);
  const cv::Mat fine = noise_image(width, height, 5.0, seed + 1);
  cv::Mat out(height, width, CV_32FC1);
  const int horizon = height * 11 / 20;
  for (int y = 0; y < height; ++y) {
    const double base = y < horizon ? 0.55 : 0.35 + 0.1 * (y - horizon) / std::max(1, height - horizon);
    for (int x = 0; x < width; ++x)
      out.at<float>(y, x) =
          static_cast<float>(base + 0.25 * (coarse.at<float>(y, x) - 0.5) + 0.12 * (fine.at<float>(y, x) - 0.5));
  }
  return out;
}

double body_grey(const Camera& camera, const Body& body, const HitBuffer& hits, const FrameLook& look, int x, int y) {
  const Vec3 light = normalized({-0.3, -0.5, 0.8});
  const Ellipsoid& part = body.parts[static_cast<size_t>(hits.at(x, y))];
  const SurfacePoint s = surface_point(camera, hits, body.parts, x, y);
  const double lit = 0.45 + 0.55 * std::max(0.0, dot(s.normal, light));
  const double texture = 1.0 + 2.0 * look.appearance.texture_contrast * cloth_texture(body, part, s.position, look);
  return albedo(part.material, look) * lit * texture;
}

uint8_t sensor_reading(double grey, double sensor_noise, Rng& sensor) {
  const double noisy = 255.0 * grey + sensor_noise * (2.0 * sensor.uniform() - 1.0);
  return static_cast<uint8_t>(std::clamp(std::lround(noisy), 0L, 255L));
}

cv::Mat shade_frame(const Camera& camera, const Body& body, const HitBuffer& hits, const FrameLook& look,
                    uint64_t frame_seed) {
  Rng sensor(frame_seed);
  cv::Mat out(camera.height, camera.width, CV_8UC1);
  for (int y = 0; y < camera.height; ++y) {
    for (int x = 0; x < camera.width; ++x) {
      const double grey =
          hits.at(x, y) >= 0 ? body_grey(camera, body, hits, look, x, y) : look.background.at<float>(y, x);
      out.at<uint8_t>(y, x) = sensor_reading(grey, look.sensor_noise, sensor);
    }
  }
  return out;
}

}  // namespace stride::data
