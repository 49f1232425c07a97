#include "stride/data/camera.h"

namespace stride::data {

Camera look_at(const Vec3& eye, const Vec3& target, double focal, int width, int height) {
  Camera c;
  c.position = eye;
  c.forward = normalized(target - eye);
  c.right = normalized(cross(c.forward, {0, 0, 1}));
  c.up = cross(c.right, c.forward);
  c.focal = focal;
  c.width = width;
  c.height = height;
  return c;
}

}  // namespace stride::data
