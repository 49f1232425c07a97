#include "stride/data/imu_sensor.h"

#include <cmath>

#include "stride/data/imu_motion.h"

namespace stride::data {
namespace {

struct Biquad {
  double b0, b1, b2, a1, a2;
};

// Second-order Butterworth low-pass by the bilinear transform with prewarping.
Biquad butterworth_low_pass(double cutoff, double rate) {
  const double k = std::tan(kPi * cutoff / rate);
  const double q = std::sqrt(0.5);
  const double norm = 1.0 / (1.0 + k / q + k * k);
  Biquad f;
  f.b0 = k * k * norm;
  f.b1 = 2.0 * f.b0;
  f.b2 = f.b0;
  f.a1 = 2.0 * (k * k - 1.0) * norm;
  f.a2 = (1.0 - k / q + k * k) * norm;
  return f;
}

// Filters `x` in place in the given direction (transposed direct form II), starting in the steady
// state of its first sample.
void run_filter(const Biquad& f, std::vector<double>& x, bool forward) {
  if (x.empty()) return;
  const size_t n = x.size();
  const double first = forward ? x.front() : x.back();
  double z2 = (f.b2 - f.a2) * first;
  double z1 = (f.b1 - f.a1) * first + z2;
  for (size_t i = 0; i < n; ++i) {
    double& v = x[forward ? i : n - 1 - i];
    const double y = f.b0 * v + z1;
    z1 = f.b1 * v - f.a1 * y + z2;
    z2 = f.b2 * v - f.a2 * y;
    v = y;
  }
}

double dot_columns(const Mat3& a, int i, const Mat3& b, int j) {
  const Vec3* ca[] = {&a.cx, &a.cy, &a.cz};
  const Vec3* cb[] = {&b.cx, &b.cy, &b.cz};
  return dot(*ca[i], *cb[j]);
}

}  // namespace

Mat3 phone_orientation(const Mat3& body, const PhoneMount& mount) {
  // The nominal placement: phone x = body up, y = body right, z = body forward.
  const Mat3 nominal{{0, 0, 1}, {0, -1, 0}, {1, 0, 0}};
  return body * (rotation_z(mount.yaw) * rotation_y(mount.pitch) * rotation_x(mount.roll)) * nominal;
}

Vec3 specific_force(const Mat3& phone, const Vec3& acceleration) {
  return phone.transposed_times(acceleration * (1.0 / kStandardGravity) + Vec3{0, 0, 1});
}

Vec3 angular_velocity(const Mat3& before, const Mat3& after, double seconds) {
  // before^T after is the turn in the phone's own frame, I + seconds [w]x to first order.
  const auto m = [&](int i, int j) { return dot_columns(before, i, after, j); };
  const double scale = 0.5 / seconds;
  return {(m(2, 1) - m(1, 2)) * scale, (m(0, 2) - m(2, 0)) * scale, (m(1, 0) - m(0, 1)) * scale};
}

Vec3 ImuSensor::accelerometer(const Vec3& f) {
  const auto& e = errors_;
  const double s = e.acc_noise;
  return {f.x * e.acc_scale[0] + e.acc_bias[0] + rng_.gaussian(0.0, s),
          f.y * e.acc_scale[1] + e.acc_bias[1] + rng_.gaussian(0.0, s),
          f.z * e.acc_scale[2] + e.acc_bias[2] + rng_.gaussian(0.0, s)};
}

Vec3 ImuSensor::gyroscope(const Vec3& w) {
  const auto& e = errors_;
  const double s = e.gyro_noise;
  return {w.x + e.gyro_bias[0] + rng_.gaussian(0.0, s), w.y + e.gyro_bias[1] + rng_.gaussian(0.0, s),
          w.z + e.gyro_bias[2] + rng_.gaussian(0.0, s)};
}

std::vector<double> low_pass(const std::vector<double>& samples, double cutoff, double rate) {
  const Biquad f = butterworth_low_pass(cutoff, rate);
  std::vector<double> out = samples;
  run_filter(f, out, true);
  run_filter(f, out, false);
  return out;
}

}  // namespace stride::data
