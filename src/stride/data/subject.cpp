#include "stride/data/subject.h"

#include <algorithm>
#include <cmath>

#include "stride/data/rng.h"

namespace stride::data {
namespace {

// Stream tag of the identity draws (see derive_seed).
constexpr uint64_t kSubjectStream = 1;

double bounded(Rng& rng, double mean, double sd, double lo, double hi) {
  return std::clamp(rng.gaussian(mean, sd), lo, hi);
}

// Segment proportions follow the classic anthropometric ratios of stature (Drillis and Contini, as
// tabulated by Winter), each varied a few percent so that two people of equal height still differ.
BodyBuild sample_build(Rng& rng) {
  BodyBuild b;
  const double h = bounded(rng, 1.70, 0.08, 1.48, 1.96);
  const double leg = 0.491 * h * rng.gaussian(1.0, 0.03);  // hip joint to ankle
  const double thigh_share = rng.gaussian(0.5, 0.015);
  const double girth = bounded(rng, 1.0, 0.12, 0.75, 1.35);  // slender .. stocky
  const double scale = h / 1.7;
  b.height = h;
  b.thigh = leg * thigh_share;
  b.shin = leg * (1.0 - thigh_share);
  b.ankle_height = 0.039 * h;
  b.foot_length = 0.152 * h * rng.gaussian(1.0, 0.03);
  b.torso = 0.29 * h * rng.gaussian(1.0, 0.035);
  b.neck = 0.05 * h * rng.gaussian(1.0, 0.08);
  const double arm = rng.gaussian(1.0, 0.03);
  b.upper_arm = 0.186 * h * arm;
  b.forearm = 0.146 * h * arm * rng.gaussian(1.0, 0.02);
  b.hand = 0.09 * h;
  b.hip_width = 0.105 * h * rng.gaussian(1.0, 0.06);
  b.shoulder_width = 0.2 * h * rng.gaussian(1.0, 0.06);
  b.pelvis_half_width = (0.5 * b.hip_width + 0.08 * scale) * girth;
  b.waist_half_width = 0.14 * scale * girth * rng.gaussian(1.0, 0.05);
  b.chest_half_width = 0.5 * b.shoulder_width * rng.gaussian(0.92, 0.04) * std::sqrt(girth);
  b.torso_half_depth = 0.12 * scale * girth * rng.gaussian(1.0, 0.05);
  b.belly = std::max(0.0, rng.gaussian(0.01, 0.02)) * girth * girth;
  const double head = rng.gaussian(1.0, 0.05);
  b.head_half_width = 0.074 * scale * head * rng.gaussian(1.0, 0.03);
  b.head_half_depth = 0.094 * scale * head;
  b.head_half_height = 0.112 * scale * head;
  b.thigh_radius = 0.086 * scale * girth;
  b.knee_radius = 0.056 * scale * girth;
  b.calf_radius = 0.06 * scale * girth;
  b.ankle_radius = 0.038 * scale * std::sqrt(girth);
  b.upper_arm_radius = 0.05 * scale * girth;
  b.forearm_radius = 0.041 * scale * girth;
  b.hand_radius = 0.034 * scale;
  b.foot_radius = 0.036 * scale;
  return b;
}

GaitStyle sample_gait(Rng& rng, double height) {
  GaitStyle g;
  g.cycles_per_second = bounded(rng, 112.0, 8.0, 90.0, 135.0) / 120.0;  // from steps per minute
  g.stride_length = bounded(rng, 0.80, 0.05, 0.66, 0.95) * height;
  g.hip_mean = rng.gaussian(0.12, 0.04);
  g.hip_phase = rng.gaussian(0.0, 0.02);
  g.knee_stance = bounded(rng, 0.26, 0.07, 0.05, 0.45);
  g.knee_swing = bounded(rng, 1.05, 0.09, 0.8, 1.3);
  g.knee_swing_timing = rng.gaussian(0.71, 0.015);
  g.knee_rest = bounded(rng, 0.06, 0.03, 0.0, 0.15);
  g.ankle_dorsiflexion = bounded(rng, 0.17, 0.04, 0.05, 0.3);
  g.ankle_plantarflexion = bounded(rng, 0.30, 0.07, 0.1, 0.5);
  g.shoulder_swing = bounded(rng, 0.38, 0.12, 0.08, 0.75);
  g.shoulder_mean = rng.gaussian(0.0, 0.05);
  g.arm_phase = rng.gaussian(0.0, 0.03);
  g.elbow_rest = bounded(rng, 0.30, 0.1, 0.05, 0.6);
  g.elbow_swing = bounded(rng, 0.25, 0.1, 0.0, 0.5);
  g.arm_abduction = bounded(rng, 0.10, 0.04, 0.03, 0.2);
  g.lean = rng.gaussian(0.07, 0.04);
  g.head_pitch = rng.gaussian(0.0, 0.06);
  g.pelvis_yaw = bounded(rng, 0.08, 0.03, 0.0, 0.16);
  g.torso_counter_yaw = bounded(rng, 0.6, 0.15, 0.2, 1.0);
  g.lateral_sway = bounded(rng, 0.025, 0.008, 0.005, 0.05);
  g.step_width = bounded(rng, 0.10, 0.025, 0.03, 0.18);
  g.toe_out = rng.gaussian(0.12, 0.06);
  g.left_hip_scale = rng.gaussian(1.0, 0.04);
  g.left_arm_scale = bounded(rng, 1.0, 0.12, 0.7, 1.3);
  g.left_step_delay = rng.gaussian(0.0, 0.012);
  return g;
}

Appearance sample_appearance(Rng& rng) {
  Appearance a;
  a.skin = bounded(rng, 0.62, 0.08, 0.35, 0.85);
  a.hair = bounded(rng, 0.15, 0.08, 0.03, 0.6);
  a.shirt = rng.uniform(0.2, 0.85);
  a.trousers = rng.uniform(0.1, 0.6);
  a.shoes = rng.uniform(0.05, 0.3);
  a.texture_contrast = rng.uniform(0.2, 0.5);
  a.texture_scale = rng.uniform(0.025, 0.06);
  return a;
}

}  // namespace

Subject sample_subject(uint64_t seed, int subject) {
  Rng rng(derive_seed(seed, {kSubjectStream, static_cast<uint64_t>(subject)}));
  Subject s;
  s.build = sample_build(rng);
  s.gait = sample_gait(rng, s.build.height);
  s.appearance = sample_appearance(rng);
  return s;
}

}  // namespace stride::data
