#pragma once
// The smartphone on the belt: what its accelerometer and gyroscope read for a given motion of the
// waist, their errors, and UCI HAR's separation of gravity from body acceleration.
#include <vector>

#include "stride/data/geometry.h"
#include "stride/data/imu_subject.h"
#include "stride/data/rng.h"

namespace stride::data {

// Phone frame -> world, for the pelvis at `body` (body frame -> world). The phone's x axis runs up
// the body, y to the wearer's right, z forward, before the mount's offsets turn it.
Mat3 phone_orientation(const Mat3& body, const PhoneMount& mount);

// What an ideal accelerometer reads, in g in the phone frame: the acceleration (world frame, m/s^2)
// minus gravity, so +1 g upwards at rest.
Vec3 specific_force(const Mat3& phone, const Vec3& acceleration);

// The angular velocity (rad/s, phone frame) of a phone turning from `before` to `after` in
// `seconds`: what an ideal gyroscope reads midway.
Vec3 angular_velocity(const Mat3& before, const Mat3& after, double seconds);

// The phone's reading errors: per-axis scale and bias, white noise drawn from `rng`.
class ImuSensor {
 public:
  ImuSensor(const SensorErrors& errors, Rng rng) : errors_(errors), rng_(rng) {}
  Vec3 accelerometer(const Vec3& specific_force);
  Vec3 gyroscope(const Vec3& angular_velocity);

 private:
  SensorErrors errors_;
  Rng rng_;
};

// Zero-phase low-pass (a second-order Butterworth run forwards then backwards, started in its
// steady state so the ends do not ring) of `samples` taken at `rate` Hz.
std::vector<double> low_pass(const std::vector<double>& samples, double cutoff, double rate);

// UCI HAR's estimate of gravity in a total acceleration signal: its part below 0.3 Hz.
inline constexpr double kGravityCutoff = 0.3;  // Hz

}  // namespace stride::data
