#include "stride/data/body_shape.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stride::data {

void Body::move(const Mat3& rotation, const Vec3& offset) {
  for (Ellipsoid& e : parts) {
    e.centre = rotation * e.centre + offset;
    e.axes = rotation * e.axes;
  }
  for (Segment& s : segments) {
    s.origin = rotation * s.origin + offset;
    s.axes = rotation * s.axes;
  }
}

double Body::lowest(Material material) const {
  double low = std::numeric_limits<double>::infinity();
  for (const Ellipsoid& e : parts) {
    if (e.material != material) continue;
    const Vec3 a = e.axes.cx * e.radii.x, b = e.axes.cy * e.radii.y, c = e.axes.cz * e.radii.z;
    low = std::min(low, e.centre.z - std::sqrt(a.z * a.z + b.z * b.z + c.z * c.z));
  }
  return low;
}

namespace {

class BodyBuilder {
 public:
  int segment(const Vec3& origin, const Mat3& axes) {
    body_.segments.push_back({origin, axes});
    return static_cast<int>(body_.segments.size()) - 1;
  }
  // A segment along a -> b whose second axis points along `side` (made orthogonal).
  int limb_segment(const Vec3& a, const Vec3& b, const Vec3& side) {
    const Vec3 along = normalized(b - a);
    const Vec3 across = normalized(side - along * dot(side, along));
    return segment(a, {cross(across, along), across, along});
  }
  void ellipsoid(const Vec3& centre, const Mat3& axes, const Vec3& radii, Material material, int seg) {
    body_.parts.push_back({centre, axes, radii, material, seg});
  }
  // A tapered capsule from a (radius ra) to b (radius rb) as overlapping spheres half a radius apart,
  // close enough that the outline between two spheres sags by only ~3% of the radius.
  void tapered(const Vec3& a, const Vec3& b, double ra, double rb, Material material, int seg) {
    const double step = 0.5 * std::min(ra, rb);
    const int n = std::max(1, static_cast<int>(std::ceil(length(b - a) / step)));
    for (int i = 0; i <= n; ++i) {
      const double t = static_cast<double>(i) / n;
      const double r = ra + (rb - ra) * t;
      ellipsoid(lerp(a, b, t), Mat3{}, {r, r, r}, material, seg);
    }
  }
  Body take() { return std::move(body_); }

 private:
  Body body_;
};

// Piecewise-linear profile through (u, value) knots sorted by u; constant beyond the ends.
double profile(std::initializer_list<std::pair<double, double>> knots, double u) {
  auto prev = *knots.begin();
  if (u <= prev.first) return prev.second;
  for (const auto& knot : knots) {
    if (u <= knot.first)
      return prev.second + (knot.second - prev.second) * (u - prev.first) / (knot.first - prev.first);
    prev = knot;
  }
  return prev.second;
}

// A point `depth` thigh lengths down the leg from the hip (past the knee it continues on the shin).
Vec3 down_leg(const LegPose& leg, const BodyBuild& b, double depth) {
  if (depth <= 1.0) return lerp(leg.hip, leg.knee, depth);
  return lerp(leg.knee, leg.ankle, std::min(1.0, (depth - 1.0) * b.thigh / b.shin));
}

class WalkerShape {
 public:
  WalkerShape(const BodyBuild& b, const Skeleton& sk, const Outfit& o, double phase)
      : b_(b), sk_(sk), o_(o), phase_(phase), scale_(b.height / 1.7) {
    coat_extra_ = o.coat ? o.coat_thickness : 0.0;
    upper_ = o.coat ? Material::coat : Material::shirt;
  }

  Body build() {
    legs();
    torso();
    head();
    arms();
    if (o_.coat) coat_skirt();
    bag();
    return out_.take();
  }

 private:
  void legs() {
    const double shoe = o_.shoe_covers ? 1.35 : 1.0;
    for (int side : {kLeft, kRight}) {
      const LegPose& leg = sk_.legs[side];
      const Vec3 lateral = leg.frame.cy;
      const int thigh = out_.limb_segment(leg.hip, leg.knee, lateral);
      out_.tapered(leg.hip, leg.knee, b_.thigh_radius, b_.knee_radius, Material::trousers, thigh);
      const int shin = out_.limb_segment(leg.knee, leg.ankle, lateral);
      const Vec3 calf = lerp(leg.knee, leg.ankle, 0.3);
      out_.tapered(leg.knee, calf, b_.knee_radius, b_.calf_radius, Material::trousers, shin);
      out_.tapered(calf, leg.ankle, b_.calf_radius, b_.ankle_radius, Material::trousers, shin);
      const int foot = out_.limb_segment(leg.heel, leg.toe, lateral);
      const Vec3 toe = leg.toe + (leg.toe - leg.heel) * (shoe - 1.0) * 0.3;
      out_.tapered(leg.heel, toe, b_.foot_radius * shoe, 0.8 * b_.foot_radius * shoe, Material::shoes, foot);
      out_.tapered(leg.ankle, lerp(leg.heel, toe, 0.55), b_.ankle_radius * shoe, b_.foot_radius * shoe, Material::shoes,
                   foot);
    }
  }

  void torso() {
    const int pelvis = out_.segment(sk_.pelvis, sk_.pelvis_frame);
    const double s = scale_;
    // The pelvis reaches further back than forward: the buttocks.
    out_.ellipsoid(sk_.pelvis + sk_.pelvis_frame * Vec3{-0.02 * s, 0, 0.03 * s}, sk_.pelvis_frame,
                   {1.1 * b_.torso_half_depth + coat_extra_, b_.pelvis_half_width + coat_extra_, 0.13 * s},
                   o_.coat ? Material::coat : Material::trousers, pelvis);
    torso_segment_ = out_.segment(sk_.pelvis, sk_.torso_frame);
    // Sections from the hips to the shoulders; a belly bulges forward around the waist.
    const double d = b_.torso_half_depth;
    constexpr int kSections = 10;
    for (int k = 0; k < kSections; ++k) {
      const double u = 0.12 + 0.09 * k;
      const double half_width = profile({{0.1, 0.95 * b_.pelvis_half_width},
                                         {0.4, b_.waist_half_width},
                                         {0.75, b_.chest_half_width},
                                         {0.92, 0.9 * b_.chest_half_width}},
                                        u);
      const double belly = b_.belly * profile({{0.15, 0.3}, {0.35, 1.0}, {0.6, 0.2}}, u);
      const double half_depth = profile({{0.1, d}, {0.4, 0.95 * d}, {0.75, 1.05 * d}, {0.92, 0.8 * d}}, u);
      const Vec3 centre = sk_.pelvis + sk_.torso_frame * Vec3{0.5 * belly, 0, u * b_.torso};
      out_.ellipsoid(centre, sk_.torso_frame,
                     {half_depth + 0.5 * belly + coat_extra_, half_width + coat_extra_, 0.11 * b_.torso}, upper_,
                     torso_segment_);
    }
    for (int side : {kLeft, kRight}) {
      const double r = 1.15 * b_.upper_arm_radius + coat_extra_;
      out_.ellipsoid(sk_.arms[side].shoulder - sk_.torso_frame.cz * (0.3 * r), sk_.torso_frame, {r, r, r}, upper_,
                     torso_segment_);
    }
  }

  void head() {
    const double s = scale_;
    out_.tapered(sk_.neck_base - sk_.torso_frame.cz * (0.03 * s), sk_.skull_base, 0.056 * s, 0.05 * s, Material::skin,
                 torso_segment_);
    const int head = out_.segment(sk_.skull_base, sk_.head_frame);
    const Vec3 radii{b_.head_half_depth, b_.head_half_width, b_.head_half_height};
    const Vec3 centre = sk_.skull_base + sk_.head_frame * Vec3{0.012 * s, 0, 0.75 * b_.head_half_height};
    out_.ellipsoid(centre, sk_.head_frame, radii, Material::skin, head);
    out_.ellipsoid(centre + sk_.head_frame * Vec3{-0.018 * s, 0, 0.022 * s}, sk_.head_frame,
                   {0.97 * radii.x, 1.03 * radii.y, 0.92 * radii.z}, Material::hair, head);
  }

  void arms() {
    const double sleeve = 0.6 * coat_extra_;
    for (int side : {kLeft, kRight}) {
      const ArmPose& arm = sk_.arms[side];
      const Vec3 lateral = sk_.torso_frame.cy;
      const int upper = out_.limb_segment(arm.shoulder, arm.elbow, lateral);
      out_.tapered(arm.shoulder, arm.elbow, b_.upper_arm_radius + sleeve, 1.05 * b_.forearm_radius + sleeve, upper_,
                   upper);
      const int fore = out_.limb_segment(arm.elbow, arm.wrist, lateral);
      out_.tapered(arm.elbow, arm.wrist, b_.forearm_radius + sleeve, 0.75 * b_.forearm_radius + sleeve,
                   o_.coat ? Material::coat : Material::skin, fore);
      out_.tapered(arm.wrist, arm.fingertips, 0.9 * b_.hand_radius, 0.7 * b_.hand_radius, Material::skin, fore);
    }
  }

  // A long coat hangs around both thighs: each horizontal section spans the two legs at that depth,
  // so the hem spreads as the legs scissor and hides the thighs' outline.
  void coat_skirt() {
    const int seg = out_.segment(sk_.pelvis, sk_.pelvis_frame);
    constexpr int kSections = 8;
    const double spacing = o_.coat_length * b_.thigh / kSections;
    for (int k = 0; k <= kSections; ++k) {
      const double depth = o_.coat_length * k / kSections;
      const Vec3 left = down_leg(sk_.legs[kLeft], b_, depth), right = down_leg(sk_.legs[kRight], b_, depth);
      const Vec3 spread = sk_.pelvis_frame.transposed_times(left - right);
      const double leg_radius = b_.thigh_radius + (b_.knee_radius - b_.thigh_radius) * std::min(depth, 1.0);
      const double flare = o_.coat_flare * depth / o_.coat_length;
      const Vec3 radii{
          0.5 * std::abs(spread.x) + leg_radius + o_.coat_thickness + flare,
          std::max(0.5 * std::abs(spread.y) + leg_radius, b_.pelvis_half_width) + o_.coat_thickness + flare,
          1.3 * spacing};
      out_.ellipsoid(lerp(left, right, 0.5), sk_.pelvis_frame, radii, Material::coat, seg);
    }
  }

  void bag() {
    const double size = o_.bag_size * scale_;
    const double side = o_.bag_side;
    Vec3 centre;
    Mat3 axes;
    Vec3 radii;
    switch (o_.bag) {
      case BagKind::none:
        return;
      case BagKind::backpack:
        axes = sk_.torso_frame;
        radii = Vec3{0.09, 0.15, 0.2} * size;
        centre = sk_.pelvis + axes * Vec3{-(b_.torso_half_depth + coat_extra_ + 0.8 * radii.x), 0, 0.62 * b_.torso};
        break;
      case BagKind::shoulder_bag:
        // Hangs at the hip from the opposite shoulder and sways a little with the stride.
        axes = sk_.pelvis_frame;
        radii = Vec3{0.15, 0.05, 0.12} * size;
        centre = sk_.pelvis + axes * Vec3{-0.02 + 0.03 * std::sin(kTwoPi * phase_),
                                          side * (b_.pelvis_half_width + coat_extra_ + 0.8 * radii.y), 0.06};
        break;
      case BagKind::handbag:
        axes = sk_.pelvis_frame;
        radii = Vec3{0.13, 0.05, 0.1} * size;
        centre = sk_.arms[side > 0 ? kLeft : kRight].fingertips - Vec3{0, 0, 0.8 * radii.z};
        break;
    }
    out_.ellipsoid(centre, axes, radii, Material::bag, out_.segment(centre, axes));
  }

  const BodyBuild& b_;
  const Skeleton& sk_;
  const Outfit& o_;
  double phase_, scale_;
  double coat_extra_ = 0.0;
  Material upper_ = Material::shirt;
  int torso_segment_ = 0;
  BodyBuilder out_;
};

}  // namespace

Body build_body(const BodyBuild& build, const Skeleton& skeleton, const Outfit& outfit, double phase) {
  return WalkerShape(build, skeleton, outfit, phase).build();
}

}  // namespace stride::data
