#pragma once
// Renders a union of ellipsoids by casting one ray per pixel: exact perspective outlines, and the
// nearest hit per pixel for shading.
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/data/body_shape.h"
#include "stride/data/camera.h"

namespace stride::data {

struct HitBuffer {
  int width = 0, height = 0;
  std::vector<float> distance;  // ray parameter of the nearest hit (in units of Camera::ray)
  std::vector<int32_t> part;    // index of the ellipsoid hit, or -1 for background

  int32_t at(int x, int y) const { return part[static_cast<size_t>(y) * width + x]; }
};

HitBuffer cast_rays(const Camera& camera, const std::vector<Ellipsoid>& parts);

// 255 where a ray hit the body, 0 elsewhere (CV_8UC1).
cv::Mat silhouette(const HitBuffer& hits);

// Where the ray through pixel (x, y) meets part `index`, and the outward unit normal there.
struct SurfacePoint {
  Vec3 position, normal;
};
SurfacePoint surface_point(const Camera& camera, const HitBuffer& hits, const std::vector<Ellipsoid>& parts, int x,
                           int y);

}  // namespace stride::data
