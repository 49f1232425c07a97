#pragma once
// The identity of a synthetic walker: body build, gait style and appearance. These are what a gait
// recognition model has to learn; everything that varies between recordings of the same person
// lives in walk_variation.h instead.
#include <cstdint>

namespace stride::data {

// Lengths in metres, angles in radians.
struct BodyBuild {
  double height = 1.7;
  double thigh = 0.42, shin = 0.42, ankle_height = 0.066, foot_length = 0.26;
  double torso = 0.49, neck = 0.08;  // hip-joint centre to neck base; neck base to skull base
  double upper_arm = 0.32, forearm = 0.25, hand = 0.18;
  double hip_width = 0.18, shoulder_width = 0.36;  // between the joint centres
  double pelvis_half_width = 0.17, waist_half_width = 0.14, chest_half_width = 0.17;
  double torso_half_depth = 0.10, belly = 0.0;  // belly: extra forward depth of the abdomen
  double head_half_width = 0.075, head_half_depth = 0.095, head_half_height = 0.115;
  double thigh_radius = 0.08, knee_radius = 0.05, calf_radius = 0.055, ankle_radius = 0.035;
  double upper_arm_radius = 0.045, forearm_radius = 0.036, hand_radius = 0.035, foot_radius = 0.035;
};

// The periodic joint-angle model. The gait cycle starts at heel strike of the right foot; the left
// side is the same motion half a cycle later, with small asymmetries.
struct GaitStyle {
  double cycles_per_second = 0.92;         // cadence / 2
  double stride_length = 1.4;              // distance covered per cycle
  double hip_mean = 0.0, hip_phase = 0.0;  // hip amplitude follows from the stride
  double knee_stance = 0.26, knee_swing = 1.05, knee_swing_timing = 0.72, knee_rest = 0.08;
  double ankle_dorsiflexion = 0.17, ankle_plantarflexion = 0.30;
  double shoulder_swing = 0.42, shoulder_mean = 0.02, arm_phase = 0.0;
  double elbow_rest = 0.30, elbow_swing = 0.25, arm_abduction = 0.10;
  double lean = 0.08, head_pitch = 0.0;
  double pelvis_yaw = 0.09, torso_counter_yaw = 0.6, lateral_sway = 0.025;
  double step_width = 0.12, toe_out = 0.12;
  // Left-right asymmetries: scale of the left hip and shoulder swing, delay of the left step.
  double left_hip_scale = 1.0, left_arm_scale = 1.0, left_step_delay = 0.0;
  // 1 for every subject; a carried bag damps the swing of the arm that holds it.
  double right_arm_scale = 1.0;
};

// Grey levels (0..1) and texture of the clothes, used only by the textured (optical-flow) frames.
struct Appearance {
  double skin = 0.62, hair = 0.15, shirt = 0.5, trousers = 0.3, shoes = 0.12;
  double texture_contrast = 0.35, texture_scale = 0.04;  // relative amplitude; feature size in metres
};

struct Subject {
  BodyBuild build;
  GaitStyle gait;
  Appearance appearance;
};

// Draws subject number `subject` of the dataset made from `seed`.
Subject sample_subject(uint64_t seed, int subject);

}  // namespace stride::data
