#include "stride/data/raycast.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stride::data {
namespace {

// The pixel rectangle [x0, x1) x [y0, y1) that contains the projection of a sphere; empty when the
// sphere is not entirely in front of the camera.
struct PixelBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

PixelBox screen_box(const Camera& cam, const Vec3& centre, double radius) {
  const Vec3 rel = centre - cam.position;
  const double depth = dot(rel, cam.forward);
  if (depth - radius <= 1e-3) return {};
  const double sx = dot(rel, cam.right), sy = -dot(rel, cam.up);
  // The projection x/z of points in the box [sx +- r] x [depth +- r] is extreme at a corner.
  double lo_x = 1e30, hi_x = -1e30, lo_y = 1e30, hi_y = -1e30;
  for (double dz : {-radius, radius}) {
    for (double d : {-radius, radius}) {
      lo_x = std::min(lo_x, (sx + d) / (depth + dz));
      hi_x = std::max(hi_x, (sx + d) / (depth + dz));
      lo_y = std::min(lo_y, (sy + d) / (depth + dz));
      hi_y = std::max(hi_y, (sy + d) / (depth + dz));
    }
  }
  const double cx = 0.5 * cam.width, cy = 0.5 * cam.height;
  PixelBox box;
  box.x0 = std::clamp(static_cast<int>(std::floor(cam.focal * lo_x + cx)), 0, cam.width);
  box.x1 = std::clamp(static_cast<int>(std::ceil(cam.focal * hi_x + cx)) + 1, 0, cam.width);
  box.y0 = std::clamp(static_cast<int>(std::floor(cam.focal * lo_y + cy)), 0, cam.height);
  box.y1 = std::clamp(static_cast<int>(std::ceil(cam.focal * hi_y + cy)) + 1, 0, cam.height);
  return box;
}

// In the ellipsoid's own frame scaled to a unit sphere the ray is o + t d; the nearest positive
// root of |o + t d|^2 = 1, or a negative value when the ray misses.
double intersect(const Vec3& o, const Vec3& d) {
  const double a = dot(d, d), b = dot(o, d), c = dot(o, o) - 1.0;
  const double disc = b * b - a * c;
  if (disc < 0) return -1.0;
  return (-b - std::sqrt(disc)) / a;
}

Vec3 to_unit_sphere(const Ellipsoid& e, const Vec3& v) {
  const Vec3 local = e.axes.transposed_times(v);
  return {local.x / e.radii.x, local.y / e.radii.y, local.z / e.radii.z};
}

}  // namespace

HitBuffer cast_rays(const Camera& cam, const std::vector<Ellipsoid>& parts) {
  HitBuffer hits;
  hits.width = cam.width;
  hits.height = cam.height;
  const size_t pixels = static_cast<size_t>(cam.width) * cam.height;
  hits.distance.assign(pixels, std::numeric_limits<float>::infinity());
  hits.part.assign(pixels, -1);
  for (size_t i = 0; i < parts.size(); ++i) {
    const Ellipsoid& e = parts[i];
    const PixelBox box = screen_box(cam, e.centre, std::max({e.radii.x, e.radii.y, e.radii.z}));
    const Vec3 origin = to_unit_sphere(e, cam.position - e.centre);
    for (int y = box.y0; y < box.y1; ++y) {
      for (int x = box.x0; x < box.x1; ++x) {
        const double t = intersect(origin, to_unit_sphere(e, cam.ray(x, y)));
        const size_t p = static_cast<size_t>(y) * cam.width + x;
        if (t > 0 && t < hits.distance[p]) {
          hits.distance[p] = static_cast<float>(t);
          hits.part[p] = static_cast<int32_t>(i);
        }
      }
    }
  }
  return hits;
}

cv::Mat silhouette(const HitBuffer& hits) {
  cv::Mat mask(hits.height, hits.width, CV_8UC1);
  for (int y = 0; y < hits.height; ++y) {
    auto* row = mask.ptr<uint8_t>(y);
    for (int x = 0; x < hits.width; ++x) row[x] = hits.at(x, y) >= 0 ? 255 : 0;
  }
  return mask;
}

SurfacePoint surface_point(const Camera& cam, const HitBuffer& hits, const std::vector<Ellipsoid>& parts, int x,
                           int y) {
  const size_t p = static_cast<size_t>(y) * cam.width + x;
  const Ellipsoid& e = parts[static_cast<size_t>(hits.part[p])];
  SurfacePoint s;
  s.position = cam.position + cam.ray(x, y) * hits.distance[p];
  // The gradient of the ellipsoid's implicit function: local coordinates divided by the squared radii.
  const Vec3 local = e.axes.transposed_times(s.position - e.centre);
  s.normal = normalized(e.axes * Vec3{local.x / (e.radii.x * e.radii.x), local.y / (e.radii.y * e.radii.y),
                                      local.z / (e.radii.z * e.radii.z)});
  return s;
}

}  // namespace stride::data
