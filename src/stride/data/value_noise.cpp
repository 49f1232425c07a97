#include "stride/data/value_noise.h"

#include <cmath>
#include <vector>

#include "stride/data/rng.h"

namespace stride::data {
namespace {

// The random value at an integer lattice point: one splitmix64 step of the point's coordinates
// spread by large odd multipliers.
double lattice(int64_t x, int64_t y, int64_t z, uint64_t seed) {
  const uint64_t key = seed ^ (static_cast<uint64_t>(x) * 0x9E3779B97F4A7C15ull) ^
                       (static_cast<uint64_t>(y) * 0xC2B2AE3D27D4EB4Full) ^
                       (static_cast<uint64_t>(z) * 0x165667B19E3779F9ull);
  return static_cast<double>(mix64(key) >> 11) * 0x1.0p-53;
}

double smoothstep(double t) { return t * t * (3.0 - 2.0 * t); }

}  // namespace

double value_noise(const Vec3& p, uint64_t seed) {
  const double fx = std::floor(p.x), fy = std::floor(p.y), fz = std::floor(p.z);
  const auto x = static_cast<int64_t>(fx), y = static_cast<int64_t>(fy), z = static_cast<int64_t>(fz);
  const double tx = smoothstep(p.x - fx), ty = smoothstep(p.y - fy), tz = smoothstep(p.z - fz);
  double corners[2][2];
  for (int dy = 0; dy < 2; ++dy) {
    for (int dz = 0; dz < 2; ++dz) {
      const double a = lattice(x, y + dy, z + dz, seed), b = lattice(x + 1, y + dy, z + dz, seed);
      corners[dy][dz] = a + (b - a) * tx;
    }
  }
  const double near = corners[0][0] + (corners[1][0] - corners[0][0]) * ty;
  const double far = corners[0][1] + (corners[1][1] - corners[0][1]) * ty;
  return near + (far - near) * tz;
}

cv::Mat noise_image(int width, int height, double cell, uint64_t seed) {
  // The same smooth interpolation as value_noise, over a lattice drawn once up front: per-frame
  // noise must cost little next to the rendering.
  const int gw = static_cast<int>(width / cell) + 2, gh = static_cast<int>(height / cell) + 2;
  std::vector<double> grid(static_cast<size_t>(gw) * gh);
  Rng rng(seed);
  for (double& v : grid) v = rng.uniform();
  cv::Mat image(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    const double gy = y / cell;
    const int iy = static_cast<int>(gy);
    const double ty = smoothstep(gy - iy);
    const double* top = &grid[static_cast<size_t>(iy) * gw];
    const double* bottom = top + gw;
    auto* row = image.ptr<float>(y);
    for (int x = 0; x < width; ++x) {
      const double gx = x / cell;
      const int ix = static_cast<int>(gx);
      const double tx = smoothstep(gx - ix);
      const double upper = top[ix] + (top[ix + 1] - top[ix]) * tx;
      const double lower = bottom[ix] + (bottom[ix + 1] - bottom[ix]) * tx;
      row[x] = static_cast<float>(upper + (lower - upper) * ty);
    }
  }
  return image;
}

}  // namespace stride::data
