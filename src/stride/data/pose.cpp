#include "stride/data/pose.h"

#include <algorithm>
#include <cmath>

namespace stride::data {
namespace {

// A smooth periodic bump centred at `centre` (cycles) whose width shrinks as `sharpness` grows: the
// von Mises shape, 1 at the centre.
double bump(double phase, double centre, double sharpness) {
  return std::exp(sharpness * (std::cos(kTwoPi * (phase - centre)) - 1.0));
}

// Joint angles (radians) of one leg at its own phase, shaped like the textbook sagittal-plane
// curves: the hip swings nearly sinusoidally, the knee flexes a little after heel strike and a lot
// during swing, the ankle dorsiflexes in late stance and plantarflexes at toe-off.
struct LegAngles {
  double hip, knee, ankle;
};

LegAngles leg_angles(const GaitStyle& g, double hip_amplitude, double phase) {
  LegAngles a;
  a.hip = g.hip_mean + hip_amplitude * std::cos(kTwoPi * (phase + g.hip_phase));
  a.knee = g.knee_rest + g.knee_stance * bump(phase, 0.15, 12.0) + g.knee_swing * bump(phase, g.knee_swing_timing, 4.0);
  a.ankle = g.ankle_dorsiflexion * bump(phase, 0.45, 8.0) - g.ankle_plantarflexion * bump(phase, 0.62, 14.0);
  return a;
}

// Hip swing that makes a step of half the stride: the feet of a pair of legs flexed by +-A about
// the mean are 2 L cos(mean) sin(A) apart.
double hip_amplitude_for(const BodyBuild& b, const GaitStyle& g) {
  const double leg = b.thigh + b.shin;
  const double reach = 0.5 * g.stride_length / (2.0 * leg * std::cos(g.hip_mean));
  return std::asin(std::clamp(reach, 0.0, 0.85));
}

// A direction in the sagittal plane at `angle` from straight down (positive = forward), leaning
// sideways by `sideways` (positive = towards +y).
Vec3 limb_direction(double angle, double sideways) { return normalized({std::sin(angle), sideways, -std::cos(angle)}); }

LegPose pose_leg(const BodyBuild& b, const GaitStyle& g, const Mat3& pelvis, int side, double phase, double amplitude) {
  const double s = side_sign(side);
  const LegAngles a = leg_angles(g, amplitude, phase);
  // Thighs converge so that the feet land step_width apart although the hips are wider.
  const double inward = (0.5 * g.step_width - 0.5 * b.hip_width) / (b.thigh + b.shin);
  LegPose leg;
  leg.frame = pelvis;
  leg.hip = pelvis * Vec3{0, s * 0.5 * b.hip_width, 0};
  leg.knee = leg.hip + pelvis * limb_direction(a.hip, s * inward) * b.thigh;
  const double shin_angle = a.hip - a.knee;
  leg.ankle = leg.knee + pelvis * limb_direction(shin_angle, s * inward) * b.shin;
  // The sole is perpendicular to the shin at a neutral ankle; toes point slightly outwards.
  const double sole_angle = shin_angle + a.ankle;
  const Mat3 foot_yaw = pelvis * rotation_z(s * g.toe_out);
  const Vec3 forward = foot_yaw * Vec3{std::cos(sole_angle), 0, std::sin(sole_angle)};
  const Vec3 up = foot_yaw * Vec3{-std::sin(sole_angle), 0, std::cos(sole_angle)};
  leg.heel = leg.ankle - up * (b.ankle_height - b.foot_radius) - forward * (0.2 * b.foot_length);
  leg.toe = leg.heel + forward * (b.foot_length - 1.8 * b.foot_radius);
  return leg;
}

// `yaw` is the torso's rotation about the vertical: arms hang under gravity, so they follow the
// torso's yaw but not its lean.
ArmPose pose_arm(const BodyBuild& b, const GaitStyle& g, const Skeleton& body, const Mat3& yaw, int side,
                 double leg_phase) {
  const double s = side_sign(side);
  const double scale = side == kLeft ? g.left_arm_scale : g.right_arm_scale;
  // An arm swings forward while the leg of its own side swings back.
  const double swing = std::cos(kTwoPi * (leg_phase + 0.5 + g.arm_phase));
  const double shoulder = g.shoulder_mean + g.shoulder_swing * scale * swing;
  const double elbow = g.elbow_rest + g.elbow_swing * scale * 0.5 * (1.0 + swing);
  ArmPose arm;
  arm.shoulder = body.neck_base + body.torso_frame * Vec3{0, s * 0.5 * b.shoulder_width, -0.03 * b.height / 1.7};
  arm.elbow = arm.shoulder + yaw * limb_direction(shoulder, s * g.arm_abduction) * b.upper_arm;
  arm.wrist = arm.elbow + yaw * limb_direction(shoulder + elbow, s * 0.6 * g.arm_abduction) * b.forearm;
  arm.fingertips = arm.wrist + yaw * limb_direction(shoulder + elbow, s * 0.5 * g.arm_abduction) * b.hand;
  return arm;
}

}  // namespace

Skeleton pose_at(const BodyBuild& b, const GaitStyle& g, double phase) {
  const double right_phase = phase;
  const double left_phase = phase + 0.5 + g.left_step_delay;
  const double yaw = g.pelvis_yaw * std::cos(kTwoPi * right_phase);  // right hip leads at right heel strike
  Skeleton sk;
  sk.pelvis_frame = rotation_z(yaw);
  const Mat3 torso_yaw = rotation_z(-g.torso_counter_yaw * yaw);
  sk.torso_frame = torso_yaw * rotation_y(g.lean);
  sk.head_frame = torso_yaw * rotation_y(g.head_pitch + 0.3 * g.lean);
  // Weight shifts over the stance foot: right (-y) in the first half of the cycle.
  sk.pelvis = {0, -g.lateral_sway * std::sin(kTwoPi * right_phase), 0};
  sk.neck_base = sk.pelvis + sk.torso_frame * Vec3{0, 0, b.torso};
  sk.skull_base = sk.neck_base + sk.head_frame * Vec3{0, 0, b.neck};

  const double amplitude = hip_amplitude_for(b, g);
  const double phases[2] = {left_phase, right_phase};
  const double amplitudes[2] = {amplitude * g.left_hip_scale, amplitude};
  for (int side : {kLeft, kRight}) {
    LegPose leg = pose_leg(b, g, sk.pelvis_frame, side, phases[side], amplitudes[side]);
    for (Vec3* joint : {&leg.hip, &leg.knee, &leg.ankle, &leg.heel, &leg.toe}) *joint += sk.pelvis;
    sk.legs[side] = leg;
  }
  for (int side : {kLeft, kRight}) sk.arms[side] = pose_arm(b, g, sk, torso_yaw, side, phases[side]);
  return sk;
}

}  // namespace stride::data
