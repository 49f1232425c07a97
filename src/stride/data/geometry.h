#pragma once
// Small 3-D vector and rotation types for the articulated walker and its camera.
#include <cmath>

namespace stride::data {

struct Vec3 {
  double x = 0, y = 0, z = 0;

  Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3 operator*(double s) const { return {x * s, y * s, z * s}; }
  Vec3& operator+=(const Vec3& o) { return *this = *this + o; }
};

inline double dot(const Vec3& a, const Vec3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double length(const Vec3& v) { return std::sqrt(dot(v, v)); }
inline Vec3 normalized(const Vec3& v) { return v * (1.0 / length(v)); }
inline Vec3 lerp(const Vec3& a, const Vec3& b, double t) { return a + (b - a) * t; }

// A rotation stored as its three columns: the images of the x, y and z axes.
struct Mat3 {
  Vec3 cx{1, 0, 0}, cy{0, 1, 0}, cz{0, 0, 1};

  Vec3 operator*(const Vec3& v) const { return cx * v.x + cy * v.y + cz * v.z; }
  Mat3 operator*(const Mat3& o) const { return {*this * o.cx, *this * o.cy, *this * o.cz}; }
  // The inverse rotation applied to v.
  Vec3 transposed_times(const Vec3& v) const { return {dot(cx, v), dot(cy, v), dot(cz, v)}; }
};

// Right-handed rotations by `angle` radians about the world axes.
inline Mat3 rotation_x(double angle) {
  double c = std::cos(angle), s = std::sin(angle);
  return {{1, 0, 0}, {0, c, s}, {0, -s, c}};
}
inline Mat3 rotation_y(double angle) {
  double c = std::cos(angle), s = std::sin(angle);
  return {{c, 0, -s}, {0, 1, 0}, {s, 0, c}};
}
inline Mat3 rotation_z(double angle) {
  double c = std::cos(angle), s = std::sin(angle);
  return {{c, s, 0}, {-s, c, 0}, {0, 0, 1}};
}

inline constexpr double kPi = 3.14159265358979323846;
inline constexpr double kTwoPi = 2.0 * kPi;
inline double degrees(double deg) { return deg * kPi / 180.0; }

}  // namespace stride::data
