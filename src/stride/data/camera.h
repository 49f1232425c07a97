#pragma once
// A pinhole camera: image x to the right, y down, principal point at the image centre.
#include "stride/data/geometry.h"

namespace stride::data {

struct Camera {
  Vec3 position;
  Vec3 forward, right, up;  // orthonormal
  double focal = 500.0;     // pixels
  int width = 320, height = 240;

  // Direction (not normalised) of the ray through the centre of pixel (x, y).
  Vec3 ray(int x, int y) const {
    return forward * focal + right * (x + 0.5 - 0.5 * width) - up * (y + 0.5 - 0.5 * height);
  }
};

// A camera at `eye` looking at `target` with the world's z axis up.
Camera look_at(const Vec3& eye, const Vec3& target, double focal, int width, int height);

}  // namespace stride::data
