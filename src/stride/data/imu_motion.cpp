#include "stride/data/imu_motion.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "stride/core/error.h"

namespace stride::data {
namespace {

double lerp(double a, double b, double u) { return a + (b - a) * u; }

ImuGait blend_gait(const ImuGait& a, const ImuGait& b, double u) {
  ImuGait g;
  g.step_frequency = lerp(a.step_frequency, b.step_frequency, u);
  g.bounce = lerp(a.bounce, b.bounce, u);
  g.bounce_harmonic = lerp(a.bounce_harmonic, b.bounce_harmonic, u);
  g.harmonic_phase = lerp(a.harmonic_phase, b.harmonic_phase, u);
  g.impact = lerp(a.impact, b.impact, u);
  g.impact_width = lerp(a.impact_width, b.impact_width, u);
  g.surge = lerp(a.surge, b.surge, u);
  g.surge_phase = lerp(a.surge_phase, b.surge_phase, u);
  g.sway = lerp(a.sway, b.sway, u);
  g.pelvis_yaw = lerp(a.pelvis_yaw, b.pelvis_yaw, u);
  g.pelvis_roll = lerp(a.pelvis_roll, b.pelvis_roll, u);
  g.pelvis_pitch = lerp(a.pelvis_pitch, b.pelvis_pitch, u);
  g.asymmetry = lerp(a.asymmetry, b.asymmetry, u);
  g.lean = lerp(a.lean, b.lean, u);
  return g;
}

// The level gait changed by a stair style and varied per recording: speed a few percent, each
// amplitude up to about ten percent.
ImuGait recording_gait(const ImuGait& level, const StairStyle& stairs, Rng& rng) {
  ImuGait g = level;
  g.step_frequency *= stairs.cadence * rng.gaussian(1.0, 0.02);
  g.bounce *= stairs.bounce * rng.gaussian(1.0, 0.08);
  g.impact *= stairs.impact * rng.gaussian(1.0, 0.1);
  g.impact_width *= stairs.impact_width;
  g.surge *= stairs.surge * rng.gaussian(1.0, 0.08);
  g.sway *= rng.gaussian(1.0, 0.08);
  g.pelvis_yaw *= stairs.pelvis * rng.gaussian(1.0, 0.08);
  g.pelvis_roll *= stairs.pelvis * rng.gaussian(1.0, 0.08);
  g.pelvis_pitch *= stairs.pelvis * rng.gaussian(1.0, 0.08);
  g.lean += stairs.lean + rng.gaussian(0.0, 0.02);
  return g;
}

}  // namespace

std::string_view activity_name(Activity activity) {
  static constexpr std::array<std::string_view, kActivityCount> kNames{
      "WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING", "STANDING", "LAYING"};
  return kNames.at(static_cast<size_t>(activity));
}

bool is_walking_activity(Activity activity) {
  return activity == Activity::walking || activity == Activity::upstairs || activity == Activity::downstairs;
}

double smootherstep(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return u * u * u * (u * (6.0 * u - 15.0) + 10.0);
}

MotionParams recording_motion(const ImuSubject& subject, Activity activity, Rng& rng) {
  const Postures& p = subject.posture;
  MotionParams m;
  // Still recordings keep the level gait too (not stepping), so that walking off from them blends
  // from the person's own rhythm.
  const StairStyle level;
  switch (activity) {
    case Activity::walking:
    case Activity::upstairs:
    case Activity::downstairs: {
      const StairStyle& stairs = activity == Activity::upstairs     ? subject.upstairs
                                 : activity == Activity::downstairs ? subject.downstairs
                                                                    : level;
      m.style = recording_gait(subject.gait, stairs, rng);
      m.gait = 1.0;
      m.pitch = m.style.lean;
      m.waist_height = p.waist_height;
      return m;
    }
    case Activity::standing:
      m.pitch = p.stand_pitch + rng.gaussian(0.0, 0.02);
      m.roll = rng.gaussian(0.0, 0.02);
      m.waist_height = p.waist_height;
      m.postural_sway = p.stand_sway * rng.gaussian(1.0, 0.2);
      break;
    case Activity::sitting:
      m.pitch = p.sit_pitch + rng.gaussian(0.0, 0.03);
      m.roll = p.sit_roll + rng.gaussian(0.0, 0.03);
      m.waist_height = 0.55 * p.waist_height;
      m.postural_sway = p.sit_sway * rng.gaussian(1.0, 0.2);
      break;
    case Activity::lying:
      // Mostly on the back, now and then on one side; on a bed about half a metre high.
      if (rng.chance(0.8)) {
        m.pitch = -kPi / 2 + rng.gaussian(0.0, 0.08);
        m.roll = rng.gaussian(0.0, 0.08);
      } else {
        m.pitch = rng.gaussian(0.0, 0.1);
        m.roll = (rng.chance(0.5) ? 1.0 : -1.0) * kPi / 2 + rng.gaussian(0.0, 0.1);
      }
      m.waist_height = 0.5 + 0.1 * subject.height;
      m.postural_sway = 0.002;
      break;
  }
  m.style = recording_gait(subject.gait, level, rng);
  m.breathing = p.breathing_depth * (activity == Activity::lying ? 1.5 : 1.0);
  m.fidget_rate = p.fidget_rate * (activity == Activity::lying ? 0.5 : 1.0);
  return m;
}

MotionParams blend_motion(const MotionParams& from, const MotionParams& to, double u) {
  const double s = smootherstep(u);
  MotionParams m;
  m.heading = lerp(from.heading, to.heading, s);
  m.pitch = lerp(from.pitch, to.pitch, s);
  m.roll = lerp(from.roll, to.roll, s);
  m.waist_height = lerp(from.waist_height, to.waist_height, s);
  m.gait = lerp(from.gait, to.gait, s);
  m.style = blend_gait(from.style, to.style, s);
  m.postural_sway = lerp(from.postural_sway, to.postural_sway, s);
  m.breathing = lerp(from.breathing, to.breathing, s);
  m.fidget_rate = u < 0.5 ? from.fidget_rate : to.fidget_rate;
  return m;
}

Mat3 body_orientation(const MotionParams& m, double step_phase, const PostureOffset& offset) {
  const ImuGait& g = m.style;
  // The pelvis turns and dips with each stride and tilts with each step.
  const double heading = m.heading + offset.heading + m.gait * g.pelvis_yaw * std::sin(0.5 * step_phase + 0.3);
  const double pitch = m.pitch + offset.pitch + m.gait * g.pelvis_pitch * std::sin(step_phase + 0.5);
  const double roll = m.roll + offset.roll + m.gait * g.pelvis_roll * std::cos(0.5 * step_phase);
  return rotation_z(heading) * rotation_y(pitch) * rotation_x(roll);
}

Vec3 gait_acceleration(const MotionParams& m, double step_phase) {
  if (m.gait <= 0.0) return {};
  const ImuGait& g = m.style;
  const double omega = kTwoPi * g.step_frequency;
  // Seconds since the last heel strike (negative just before the next): the jolt of landing is a
  // short bell, its mean over a step removed so that the waist keeps its speed.
  const double since_strike = std::remainder(step_phase, kTwoPi) / omega;
  const double jolt = g.impact * (std::exp(-0.5 * since_strike * since_strike / (g.impact_width * g.impact_width)) -
                                  g.impact_width * std::sqrt(kTwoPi) * g.step_frequency);
  // Left and right steps differ a little: the stride-frequency part of the signal.
  const double side = 1.0 + g.asymmetry * std::cos(0.5 * step_phase);
  // The waist is lowest just after heel strike, where it is pushed up hardest.
  const double vertical =
      g.bounce * omega * omega / kStandardGravity *
          (std::cos(step_phase) + 4.0 * g.bounce_harmonic * std::cos(2.0 * step_phase + g.harmonic_phase)) +
      jolt;
  const double forward = -g.surge * std::sin(step_phase + g.surge_phase) - 0.4 * jolt;
  const double sideways = -g.sway * 0.25 * omega * omega / kStandardGravity * std::sin(0.5 * step_phase);
  const Vec3 local{forward * side, sideways, vertical * side};
  return rotation_z(m.heading) * local * (m.gait * kStandardGravity);
}

}  // namespace stride::data
