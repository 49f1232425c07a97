#pragma once
// The walker's surface as a union of ellipsoids. Limbs are chains of overlapping spheres with
// interpolated radii (tapered capsules); the torso, head, coat and bags are ellipsoids.
#include <cstdint>
#include <vector>

#include "stride/data/geometry.h"
#include "stride/data/pose.h"
#include "stride/data/walk_variation.h"

namespace stride::data {

enum class Material : uint8_t { skin, hair, shirt, trousers, shoes, coat, bag };

// A rigid piece of the body (a limb segment, the torso, a bag). Texture coordinates are taken in
// this frame so that the texture moves with the piece, which is what optical flow has to see.
struct Segment {
  Vec3 origin;
  Mat3 axes;
};

struct Ellipsoid {
  Vec3 centre;
  Mat3 axes;   // orthonormal
  Vec3 radii;  // semi-axes along axes.cx, axes.cy, axes.cz
  Material material = Material::skin;
  int segment = 0;  // index into Body::segments
};

struct Body {
  std::vector<Ellipsoid> parts;
  std::vector<Segment> segments;

  // Applies the rigid motion p -> rotation * p + offset to every part and segment.
  void move(const Mat3& rotation, const Vec3& offset);
  // Lowest point of the parts made of `material`.
  double lowest(Material material) const;
};

// `phase` is the gait phase of the pose (bags sway with it).
Body build_body(const BodyBuild& build, const Skeleton& skeleton, const Outfit& outfit, double phase);

}  // namespace stride::data
