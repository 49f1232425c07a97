#pragma once
// Forward kinematics of the walker: joint positions at one phase of the gait cycle, in the body
// frame (x forward, y left, z up, hip-joint centre at the origin before the body is put on the
// ground).
#include "stride/data/geometry.h"
#include "stride/data/subject.h"

namespace stride::data {

struct LegPose {
  Vec3 hip, knee, ankle;
  Vec3 heel, toe;  // centres of the foot's rear and front ends, one foot radius above the sole
  Mat3 frame;      // the leg's yaw: x forward, y to the body's left
};

struct ArmPose {
  Vec3 shoulder, elbow, wrist, fingertips;
};

struct Skeleton {
  Mat3 pelvis_frame;  // pelvis yaw
  Mat3 torso_frame;   // counter-rotated and leaning
  Mat3 head_frame;
  Vec3 pelvis, neck_base, skull_base;
  LegPose legs[2];  // kLeft, kRight
  ArmPose arms[2];
};

inline constexpr int kLeft = 0;
inline constexpr int kRight = 1;
// +1 for the left side (the +y side of the body frame), -1 for the right.
inline double side_sign(int side) { return side == kLeft ? 1.0 : -1.0; }

// The pose at `phase` (cycles; 0 = right heel strike).
Skeleton pose_at(const BodyBuild& build, const GaitStyle& gait, double phase);

}  // namespace stride::data
