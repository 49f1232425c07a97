#include "stride/data/imu_session.h"

#include <algorithm>
#include <cmath>

#include "stride/core/error.h"
#include "stride/data/imu_sensor.h"

namespace stride::data {
namespace {

// Stream tags (see derive_seed): the plan, the random movements and the sensor noise draw apart,
// so that one never shifts another.
constexpr uint64_t kPlanStream = 21, kMovementStream = 22, kSensorNoiseStream = 23;

constexpr double kDt = 1.0 / kImuSampleRate;

// A smooth random signal of unit RMS: a few sines of random frequency in [low, high] Hz.
class SlowWobble {
 public:
  SlowWobble() = default;  // zero
  SlowWobble(Rng& rng, double low, double high) {
    for (Sine& s : sines_) s = {kTwoPi * rng.uniform(low, high), rng.uniform(0.0, kTwoPi), rng.uniform(0.5, 1.0)};
    double power = 0;
    for (const Sine& s : sines_) power += 0.5 * s.amplitude * s.amplitude;
    for (Sine& s : sines_) s.amplitude /= std::sqrt(power);
  }
  double operator()(double t) const {
    double v = 0;
    for (const Sine& s : sines_) v += s.amplitude * std::sin(s.omega * t + s.phase);
    return v;
  }

 private:
  struct Sine {
    double omega = 0, phase = 0, amplitude = 0;
  };
  std::array<Sine, 3> sines_{};
};

// A small shift of a still body (weight from one foot to the other, settling in the chair): a
// bell-shaped excursion of the posture angles.
struct Fidget {
  double centre, width;  // s
  PostureOffset angles;
};

// The random movements of a session that are not the activities' own.
class Movements {
 public:
  Movements(const ImuSubject& subject, const std::vector<SessionSegment>& segments, uint64_t seed)
      : breathing_rate_(subject.posture.breathing_rate) {
    Rng rng(seed);
    sway_pitch_ = SlowWobble(rng, 0.08, 0.6);
    sway_roll_ = SlowWobble(rng, 0.08, 0.6);
    sway_heading_ = SlowWobble(rng, 0.05, 0.4);
    cadence_ = SlowWobble(rng, 0.03, 0.2);
    for (const SessionSegment& s : segments) {
      const double rate = s.motion.fidget_rate, begin = s.start * kDt, end = (s.start + s.samples) * kDt;
      if (rate <= 0) continue;
      for (double t = begin - std::log(1.0 - rng.uniform()) / rate; t < end; t -= std::log(1.0 - rng.uniform()) / rate)
        fidgets_.push_back(
            {t, rng.uniform(0.15, 0.4), {rng.gaussian(0.0, 0.04), rng.gaussian(0.0, 0.03), rng.gaussian(0.0, 0.03)}});
    }
  }

  PostureOffset offset(const MotionParams& m, double t) const {
    PostureOffset o;
    o.pitch = m.postural_sway * sway_pitch_(t) + m.breathing * std::sin(kTwoPi * breathing_rate_ * t);
    o.roll = m.postural_sway * sway_roll_(t);
    o.heading = 0.5 * m.postural_sway * sway_heading_(t);
    for (const Fidget& f : fidgets_) {
      const double x = (t - f.centre) / f.width;
      if (std::abs(x) > 5.0) continue;
      const double bell = std::exp(-0.5 * x * x);
      o.heading += bell * f.angles.heading;
      o.pitch += bell * f.angles.pitch;
      o.roll += bell * f.angles.roll;
    }
    return o;
  }
  // Step-to-step variation of the rhythm: a factor within about +-2 %.
  double cadence_factor(double t) const { return 1.0 + 0.015 * cadence_(t); }

 private:
  double breathing_rate_;
  SlowWobble sway_pitch_, sway_roll_, sway_heading_, cadence_;
  std::vector<Fidget> fidgets_;
};

// The motion parameters at time t: a recording's own, or a blend of the two around a transition.
class Timeline {
 public:
  explicit Timeline(const std::vector<SessionSegment>& segments) : segments_(segments) {}

  MotionParams at(double t) const {
    const double sample = t * kImuSampleRate;
    // The first recording ending after `sample`.
    auto next = std::upper_bound(segments_.begin(), segments_.end(), sample,
                                 [](double s, const SessionSegment& seg) { return s < seg.start + seg.samples; });
    if (next == segments_.end()) return segments_.back().motion;
    if (sample >= next->start || next == segments_.begin()) return next->motion;
    const SessionSegment& before = *(next - 1);
    const double from = static_cast<double>(before.start + before.samples), to = static_cast<double>(next->start);
    return blend_motion(before.motion, next->motion, (sample - from) / (to - from));
  }

 private:
  const std::vector<SessionSegment>& segments_;
};

void check_segments(const std::vector<SessionSegment>& segments) {
  if (segments.empty()) fail("IMU session: no recordings");
  int64_t end = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const SessionSegment& s = segments[i];
    if (s.samples < 1 || s.start < end || (i == 0 && s.start != 0))
      fail(
          "IMU session: recording {} spans samples {}..{}; expected recordings in time order from sample 0, "
          "without overlap",
          i, s.start, s.start + s.samples);
    end = s.start + s.samples;
  }
}

}  // namespace

std::vector<SessionSegment> plan_session(const ImuSubject& subject, const SessionShape& shape, uint64_t seed) {
  Rng rng(derive_seed(seed, {kPlanStream, static_cast<uint64_t>(subject.id)}));
  std::vector<SessionSegment> segments;
  int64_t start = 0;
  double heading = rng.uniform(-kPi, kPi);
  for (int round = 0; round < shape.rounds; ++round) {
    for (Activity activity : kProtocol) {
      const int windows = shape.min_windows + rng.below(shape.max_windows - shape.min_windows + 1);
      SessionSegment s;
      s.activity = activity;
      s.start = start;
      s.samples = kHarWindowSamples + (windows - 1) * (kHarWindowSamples / 2) + rng.below(kHarWindowSamples / 2);
      s.motion = recording_motion(subject, activity, rng);
      // Each recording faces its own way: the person turns during the transition.
      heading += rng.uniform(-0.5 * kPi, 0.5 * kPi);
      s.motion.heading = heading;
      segments.push_back(s);
      const double transition = rng.uniform(shape.min_transition, shape.max_transition);
      start += s.samples + static_cast<int64_t>(std::llround(transition * kImuSampleRate));
    }
  }
  return segments;
}

SessionSignals simulate_session(const ImuSubject& subject, const std::vector<SessionSegment>& segments, uint64_t seed) {
  check_segments(segments);
  const int64_t n = segments.back().start + segments.back().samples;
  const Movements movements(subject, segments, derive_seed(seed, {kMovementStream}));
  const Timeline timeline(segments);
  ImuSensor sensor(subject.sensor, Rng(derive_seed(seed, {kSensorNoiseStream})));

  // The phase advances with the (blended, slowly varying) step frequency; the gyroscope sees the
  // turn of the phone between half a millisecond before and after each sample.
  constexpr double kHalfTurn = 0.0005, kHeightStep = 0.01;
  std::array<std::vector<double>, 3> total;
  for (auto& axis : total) axis.resize(static_cast<size_t>(n));
  SessionSignals out;
  for (auto& channel : out.channels) channel.resize(static_cast<size_t>(n));
  double phase = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double t = i * kDt;
    const MotionParams m = timeline.at(t);
    const double step_rate = kTwoPi * m.style.step_frequency * movements.cadence_factor(t);
    const auto phone_at = [&](double dt) {
      const MotionParams& mm = dt == 0 ? m : timeline.at(t + dt);
      return phone_orientation(body_orientation(mm, phase + step_rate * dt, movements.offset(mm, t + dt)),
                               subject.mount);
    };
    const Mat3 phone = phone_at(0);
    // Sitting down, lying down or getting up moves the waist up or down.
    const double lift =
        (timeline.at(t + kHeightStep).waist_height - 2.0 * m.waist_height + timeline.at(t - kHeightStep).waist_height) /
        (kHeightStep * kHeightStep);
    const Vec3 acceleration = gait_acceleration(m, phase) + Vec3{0, 0, lift};
    const Vec3 acc = sensor.accelerometer(specific_force(phone, acceleration));
    const Vec3 gyro = sensor.gyroscope(angular_velocity(phone_at(-kHalfTurn), phone_at(kHalfTurn), 2 * kHalfTurn));
    const size_t k = static_cast<size_t>(i);
    total[0][k] = acc.x, total[1][k] = acc.y, total[2][k] = acc.z;
    out.channels[3][k] = static_cast<float>(gyro.x);
    out.channels[4][k] = static_cast<float>(gyro.y);
    out.channels[5][k] = static_cast<float>(gyro.z);
    phase += step_rate * kDt;
  }
  for (size_t axis = 0; axis < 3; ++axis) {
    const std::vector<double> gravity = low_pass(total[axis], kGravityCutoff, kImuSampleRate);
    for (size_t k = 0; k < static_cast<size_t>(n); ++k) {
      out.channels[axis][k] = static_cast<float>(total[axis][k] - gravity[k]);
      out.channels[6 + axis][k] = static_cast<float>(total[axis][k]);
    }
  }
  return out;
}

std::vector<WindowSpan> window_spans(const std::vector<SessionSegment>& segments) {
  std::vector<WindowSpan> spans;
  for (size_t i = 0; i < segments.size(); ++i)
    for (int64_t start = segments[i].start; start + kHarWindowSamples <= segments[i].start + segments[i].samples;
         start += kHarWindowSamples / 2)
      spans.push_back({i, start});
  return spans;
}

void copy_window(const SessionSignals& signals, int64_t start, float* out) {
  if (start < 0 || start + kHarWindowSamples > signals.samples())
    fail("IMU window from sample {} outside the session's {} samples", start, signals.samples());
  for (int64_t c = 0; c < kHarChannels; ++c)
    std::copy_n(signals.channels[static_cast<size_t>(c)].begin() + start, kHarWindowSamples,
                out + c * kHarWindowSamples);
}

}  // namespace stride::data
