#pragma once
// The motion of the waist for the IMU generator: the six activities of UCI HAR as a handful of
// parameters per recording (posture, gait rhythm and amplitudes), blended smoothly across the
// transitions between recordings, and the waist's orientation and acceleration they give.
#include <cstdint>
#include <string_view>

#include "stride/data/geometry.h"
#include "stride/data/imu_subject.h"
#include "stride/data/rng.h"

namespace stride::data {

inline constexpr double kImuSampleRate = 50.0;       // Hz, as UCI HAR
inline constexpr double kStandardGravity = 9.80665;  // m/s^2 per g

// In UCI HAR's label order (label = value + 1 in y_<split>.txt).
enum class Activity { walking, upstairs, downstairs, sitting, standing, lying };
inline constexpr int kActivityCount = 6;
// "WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING", "STANDING", "LAYING" (UCI's names).
std::string_view activity_name(Activity activity);
bool is_walking_activity(Activity activity);  // walking, upstairs or downstairs

// Everything that shapes the motion of one recording. Between two recordings every field moves
// from one value to the next (blend_motion), so that a person sits down, lies down or starts
// walking without a jump in any signal.
struct MotionParams {
  // Posture: the pelvis (body frame x forward, y left, z up) turned by heading about the vertical,
  // then pitched forward, then rolled about its forward axis; lying on the back is pitch -pi/2.
  double heading = 0, pitch = 0, roll = 0;  // rad
  double waist_height = 0.95;               // m above the floor
  double gait = 0;                          // 0: still, 1: stepping with the amplitudes below
  ImuGait style;                            // step rhythm and amplitudes (lean is in pitch)
  double postural_sway = 0;                 // rad, RMS of the slow sway of a still body
  double breathing = 0;                     // rad, tilt amplitude per breath
  double fidget_rate = 0;                   // small shifts per second (still postures)
};

// The parameters of one recording of `activity` by `subject`, varied per recording by `rng`; the
// heading is left at 0 for the caller to set.
MotionParams recording_motion(const ImuSubject& subject, Activity activity, Rng& rng);

// `from` at u = 0 to `to` at u = 1, eased so that rates start and end at zero.
MotionParams blend_motion(const MotionParams& from, const MotionParams& to, double u);
double smootherstep(double u);  // 6u^5 - 15u^4 + 10u^3 on [0, 1], clamped outside

// Extra angles added to the posture at one instant (sway, breathing, shifts), radians.
struct PostureOffset {
  double heading = 0, pitch = 0, roll = 0;
};

// Orientation of the pelvis (body frame -> world) at step phase `step_phase` (radians; a heel
// strike at every multiple of 2 pi, the left ones at odd multiples).
Mat3 body_orientation(const MotionParams& m, double step_phase, const PostureOffset& offset);

// Acceleration of the waist from stepping, in the world frame (x, y horizontal, z up), m/s^2.
// Periodic with zero mean over two steps, so the waist keeps its average speed.
Vec3 gait_acceleration(const MotionParams& m, double step_phase);

}  // namespace stride::data
