#include "stride/data/imu_subject.h"

#include <algorithm>
#include <cmath>

#include "stride/data/rng.h"
#include "stride/data/subject.h"

namespace stride::data {
namespace {

// Stream tag of the IMU wearer's draws (see derive_seed; the gait generator's tags are 1..7).
constexpr uint64_t kImuSubjectStream = 20;

double bounded(Rng& rng, double mean, double sd, double lo, double hi) {
  return std::clamp(rng.gaussian(mean, sd), lo, hi);
}

// Level walking. Cadence, stride, sideways sway, pelvis rotation, lean and the left-right
// differences are the walker's (subject.h); the rest is what a waist sensor adds to it.
ImuGait sample_gait(Rng& rng, const Subject& walker) {
  const GaitStyle& g = walker.gait;
  ImuGait gait;
  // The walker's 90..135 steps per minute, kept within the usual 1.6..2.1 steps per second.
  gait.step_frequency = std::clamp(2.0 * g.cycles_per_second, 1.6, 2.1);
  // The waist rises and falls 3..5 cm per step, more with longer strides.
  gait.bounce = bounded(rng, 0.02, 0.003, 0.013, 0.03) * g.stride_length / (0.8 * walker.build.height);
  gait.bounce_harmonic = bounded(rng, 0.08, 0.03, 0.0, 0.15);
  gait.harmonic_phase = rng.uniform(-1.0, 1.0);
  gait.impact = bounded(rng, 0.25, 0.07, 0.08, 0.45);
  gait.impact_width = bounded(rng, 0.035, 0.006, 0.022, 0.05);
  gait.surge = bounded(rng, 0.14, 0.03, 0.07, 0.22);
  gait.surge_phase = rng.gaussian(0.0, 0.25);
  gait.sway = g.lateral_sway * rng.gaussian(1.0, 0.1);
  gait.pelvis_yaw = g.pelvis_yaw;
  gait.pelvis_roll = bounded(rng, 0.05, 0.015, 0.02, 0.09);
  gait.pelvis_pitch = bounded(rng, 0.03, 0.01, 0.01, 0.06);
  gait.asymmetry = std::min(0.2, std::abs(g.left_hip_scale - 1.0) + 4.0 * std::abs(g.left_step_delay));
  gait.lean = g.lean;
  return gait;
}

// Climbing: slower steps, the body lifted higher at each, softer landings, leaning into the stairs.
StairStyle sample_upstairs(Rng& rng) {
  StairStyle s;
  s.cadence = bounded(rng, 0.84, 0.03, 0.76, 0.92);
  s.bounce = bounded(rng, 1.5, 0.15, 1.15, 1.9);
  s.impact = bounded(rng, 0.6, 0.12, 0.3, 0.9);
  s.impact_width = bounded(rng, 1.3, 0.1, 1.0, 1.6);
  s.surge = bounded(rng, 0.8, 0.1, 0.55, 1.05);
  s.pelvis = bounded(rng, 1.3, 0.15, 0.95, 1.7);
  s.lean = bounded(rng, 0.16, 0.04, 0.06, 0.26);
  return s;
}

// Descending: a little quicker, each step a drop onto the next stair, so sharper jolts.
StairStyle sample_downstairs(Rng& rng) {
  StairStyle s;
  s.cadence = bounded(rng, 1.08, 0.03, 1.0, 1.16);
  s.bounce = bounded(rng, 1.15, 0.12, 0.85, 1.45);
  s.impact = bounded(rng, 2.2, 0.3, 1.5, 3.0);
  s.impact_width = bounded(rng, 0.65, 0.07, 0.5, 0.85);
  s.surge = bounded(rng, 1.1, 0.1, 0.85, 1.35);
  s.pelvis = bounded(rng, 1.2, 0.15, 0.85, 1.6);
  s.lean = bounded(rng, -0.02, 0.04, -0.12, 0.08);
  return s;
}

// Sitting tilts the pelvis back by about ten degrees, little more than people differ in how
// upright they stand and wear the phone: the reason real data mixes up sitting and standing.
Postures sample_postures(Rng& rng, double height) {
  Postures p;
  p.stand_pitch = bounded(rng, 0.03, 0.03, -0.05, 0.11);
  p.sit_pitch = bounded(rng, -0.24, 0.06, -0.4, -0.08);
  p.sit_roll = rng.gaussian(0.0, 0.03);
  p.stand_sway = bounded(rng, 0.01, 0.003, 0.004, 0.018);
  p.sit_sway = bounded(rng, 0.004, 0.0015, 0.0015, 0.009);
  p.breathing_rate = rng.uniform(0.2, 0.33);
  p.breathing_depth = bounded(rng, 0.006, 0.002, 0.002, 0.012);
  p.fidget_rate = rng.uniform(0.04, 0.12);
  p.waist_height = 0.56 * height;
  return p;
}

// Clipped to the belt towards the left hip, at an angle of the wearer's choosing.
PhoneMount sample_mount(Rng& rng) {
  PhoneMount m;
  m.yaw = bounded(rng, 0.3, 0.25, -0.4, 1.0);
  m.pitch = bounded(rng, 0.0, 0.07, -0.2, 0.2);
  m.roll = bounded(rng, 0.0, 0.08, -0.25, 0.25);
  return m;
}

SensorErrors sample_sensor(Rng& rng) {
  SensorErrors s;
  for (int axis = 0; axis < 3; ++axis) {
    s.acc_bias[axis] = bounded(rng, 0.0, 0.01, -0.03, 0.03);
    s.acc_scale[axis] = bounded(rng, 1.0, 0.005, 0.985, 1.015);
    s.gyro_bias[axis] = bounded(rng, 0.0, 0.008, -0.025, 0.025);
  }
  s.acc_noise = rng.uniform(0.004, 0.009);
  s.gyro_noise = rng.uniform(0.005, 0.012);
  return s;
}

}  // namespace

ImuSubject sample_imu_subject(uint64_t seed, int subject) {
  const Subject walker = sample_subject(seed, subject);
  Rng rng(derive_seed(seed, {kImuSubjectStream, static_cast<uint64_t>(subject)}));
  ImuSubject s;
  s.id = subject;
  s.height = walker.build.height;
  s.gait = sample_gait(rng, walker);
  s.upstairs = sample_upstairs(rng);
  s.downstairs = sample_downstairs(rng);
  s.posture = sample_postures(rng, s.height);
  s.mount = sample_mount(rng);
  s.sensor = sample_sensor(rng);
  return s;
}

}  // namespace stride::data
