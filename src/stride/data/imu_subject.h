#pragma once
// The wearer of a waist-worn smartphone, as the IMU generator sees them: how they walk, climb and
// descend stairs, sit, stand and lie, where the phone sits on their belt, and the phone's own
// sensor errors. Drawn per subject from the seed; the cadence, stride, sway and pelvis rotation come
// from the gait generator's walker of the same seed and number (subject.h), so subject 3 of seed 1
// walks alike in both datasets.
#include <array>
#include <cstdint>

namespace stride::data {

// Walking on level ground, at the waist. Amplitudes of the periodic motion; the step phase starts
// at a heel strike, every other step is the left one.
struct ImuGait {
  double step_frequency = 1.85;   // steps per second (twice the walker's cycles per second)
  double bounce = 0.022;          // m: vertical displacement amplitude of the waist at the step frequency
  double bounce_harmonic = 0.08;  // relative amplitude of its second harmonic
  double harmonic_phase = 0.0;    // rad
  double impact = 0.25;           // g: peak of the heel-strike jolt
  double impact_width = 0.03;     // s: its standard deviation
  double surge = 0.15;            // g: fore-aft acceleration amplitude (braking, then propulsion)
  double surge_phase = 0.0;       // rad
  double sway = 0.025;            // m: sideways displacement amplitude at the stride frequency
  double pelvis_yaw = 0.08;       // rad: rotation about the vertical at the stride frequency
  double pelvis_roll = 0.05;      // rad: obliquity, at the stride frequency
  double pelvis_pitch = 0.03;     // rad: tilt, at the step frequency
  double asymmetry = 0.05;        // relative difference of the left and right steps
  double lean = 0.07;             // rad: forward lean of the trunk and waist
};

// How climbing or descending stairs changes the level gait, as factors of it (a lean in radians).
struct StairStyle {
  double cadence = 1.0, bounce = 1.0, impact = 1.0, impact_width = 1.0, surge = 1.0, pelvis = 1.0;
  double lean = 0.0;  // rad, added to the level-ground lean
};

// Still postures. Pitch is the forward tilt of the pelvis (and the phone on it): negative leans back.
struct Postures {
  double stand_pitch = 0.03, sit_pitch = -0.17, sit_roll = 0.0;  // rad
  double stand_sway = 0.008, sit_sway = 0.005;                   // rad: amplitude of slow postural sway
  double breathing_rate = 0.25;                                  // breaths per second
  double breathing_depth = 0.005;                                // rad: tilt of the waist per breath
  double fidget_rate = 0.08;                                     // small shifts per second
  double waist_height = 0.95;                                    // m, standing (sitting and lying lower)
};

// The phone's orientation on the belt relative to the nominal placement (x along the body upwards,
// y to the wearer's right, z forward), rotated about the body's vertical (yaw), sideways (pitch)
// and forward axes (roll).
struct PhoneMount {
  double yaw = 0.0, pitch = 0.0, roll = 0.0;  // rad
};

// The phone's accelerometer and gyroscope: per-axis bias and scale, white noise.
struct SensorErrors {
  std::array<double, 3> acc_bias{};          // g
  std::array<double, 3> acc_scale{1, 1, 1};  // relative
  double acc_noise = 0.006;                  // g, standard deviation per sample
  std::array<double, 3> gyro_bias{};         // rad/s
  double gyro_noise = 0.008;                 // rad/s
};

struct ImuSubject {
  int id = 1;
  double height = 1.7;  // m
  ImuGait gait;
  StairStyle upstairs, downstairs;
  Postures posture;
  PhoneMount mount;
  SensorErrors sensor;
};

// Draws subject number `subject` of the dataset made from `seed`.
ImuSubject sample_imu_subject(uint64_t seed, int subject);

}  // namespace stride::data
