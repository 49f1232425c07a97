#include "stride/data/imu_synth.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/data/geometry.h"
#include "stride/data/imu_sensor.h"
#include "stride/data/rng.h"

namespace stride::data {
namespace fs = std::filesystem;
namespace {

// Stream tag of each subject's sensor noise and random movements (see derive_seed).
constexpr uint64_t kImuSessionStream = 24;

// UCI HAR's test subjects (its other 21 of 30 are for training).
const std::vector<int> kUciTestSubjects{2, 4, 9, 10, 12, 13, 18, 20, 24};

// One split's windows as they are gathered, subject after subject.
struct SplitBuilder {
  std::vector<float> values;
  std::vector<int> labels, subjects;

  HarWindows finish() {
    HarWindows w;
    for (int a = 0; a < kActivityCount; ++a) w.activity_names.emplace_back(activity_name(static_cast<Activity>(a)));
    const int64_t count = static_cast<int64_t>(labels.size());
    w.signals = Tensor::from_vector<float>({count, kHarChannels, kHarWindowSamples}, values);
    w.labels = std::move(labels);
    w.subjects = std::move(subjects);
    return w;
  }
};

double deg(double rad) { return rad * 180.0 / kPi; }

std::string manifest(const ImuSynthConfig& c, uint64_t seed, const ImuDataset* done) {
  std::vector<int> train;
  for (int s = 1; s <= c.subjects; ++s)
    if (std::find(c.test_subjects.begin(), c.test_subjects.end(), s) == c.test_subjects.end()) train.push_back(s);
  std::string text = fmt::format(
      "generator: stride procedural IMU (smartphone on the waist)\npreset: {}\nlayout: UCI-HAR\nseed: {}\n"
      "subjects: {}\ntrain subjects: {}\ntest subjects: {}\nrate: {} Hz\nwindow: {} samples, step {}\n",
      c.preset, seed, c.subjects, fmt::join(train, " "), fmt::join(c.test_subjects, " "), kImuSampleRate,
      kHarWindowSamples, kHarWindowSamples / 2);
  if (done)
    text += fmt::format("train windows: {}\ntest windows: {}\n", done->train.labels.size(), done->test.labels.size());
  return text + fmt::format("state: {}\n", done ? "complete" : "writing");
}

std::string readme(const ImuSynthConfig& c, uint64_t seed, const ImuDataset& data) {
  std::string text = fmt::format(
      "Procedural data in the layout of UCI HAR (Human Activity Recognition Using Smartphones), made by\n"
      "`stride data synth-imu --preset {} --seed {}`: generated, not recorded from people.\n\n"
      "A smartphone on the waist records 3-axis acceleration (total_acc, in g; body_acc is total_acc minus\n"
      "its part below {} Hz, gravity) and angular velocity (body_gyro, rad/s) at {} Hz while each subject\n"
      "stands, sits, lies, walks, and walks down and up stairs, {} times over with transitions between.\n"
      "Windows of {} samples (2.56 s) overlap by half; windows spanning a transition are left out. Subjects\n"
      "are split into train ({} windows) and test ({} windows); test subjects: {}.\n"
      "No X_<split>.txt (UCI's 561 features) is written. See Stride's docs/data.md.\n\n"
      "Each subject's parameters:\n"
      "subject split height_m cadence_steps_per_s bounce_cm impact_g stand_pitch_deg sit_pitch_deg "
      "phone_yaw_deg phone_pitch_deg phone_roll_deg acc_noise_g gyro_noise_rad_s\n",
      c.preset, seed, kGravityCutoff, kImuSampleRate, c.session.rounds, kHarWindowSamples, data.train.labels.size(),
      data.test.labels.size(), fmt::join(c.test_subjects, " "));
  for (const ImuSubject& s : data.subjects) {
    const bool test = std::find(c.test_subjects.begin(), c.test_subjects.end(), s.id) != c.test_subjects.end();
    text += fmt::format("{} {} {:.2f} {:.2f} {:.1f} {:.2f} {:.1f} {:.1f} {:.0f} {:.1f} {:.1f} {:.4f} {:.4f}\n", s.id,
                        test ? "test" : "train", s.height, s.gait.step_frequency, 100 * s.gait.bounce, s.gait.impact,
                        deg(s.posture.stand_pitch), deg(s.posture.sit_pitch), deg(s.mount.yaw), deg(s.mount.pitch),
                        deg(s.mount.roll), s.sensor.acc_noise, s.sensor.gyro_noise);
  }
  return text;
}

}  // namespace

std::vector<std::string> imu_synth_preset_names() { return {"har-mini", "har"}; }

ImuSynthConfig imu_synth_preset(std::string_view name) {
  ImuSynthConfig c;
  c.preset = std::string(name);
  if (name == "har-mini") {
    // A few seconds to make: 14 training and 6 test subjects, two short rounds of the protocol.
    // Subjects rather than windows: with 7 training subjects the models learnt those walkers'
    // cadences, and walking fell to the stairs on the test subjects (har-cnn 76 % against 94 % on
    // `har`); 14 of them teach the activity.
    c.subjects = 20;
    c.test_subjects = {2, 4, 9, 11, 15, 18};
    c.session = {.rounds = 2, .min_windows = 4, .max_windows = 8};
    return c;
  }
  if (name == "har") {
    // UCI HAR's 30 subjects and split; six rounds of recordings of 7..11 windows give about its
    // 10,299 windows, a sixth per activity.
    c.subjects = 30;
    c.test_subjects = kUciTestSubjects;
    c.session = {.rounds = 6, .min_windows = 7, .max_windows = 12};
    return c;
  }
  usage_fail("unknown IMU dataset preset '{}': expected one of {}", name, fmt::join(imu_synth_preset_names(), ", "));
}

void check_imu_config(const ImuSynthConfig& c) {
  const std::string& p = c.preset;
  if (c.subjects < 2 || c.subjects > 999) fail("preset {}: subjects = {}, expected 2..999", p, c.subjects);
  std::set<int> test;
  for (int s : c.test_subjects) {
    if (s < 1 || s > c.subjects) fail("preset {}: test subject {} outside 1..{}", p, s, c.subjects);
    if (!test.insert(s).second) fail("preset {}: test subject {} listed twice", p, s);
  }
  if (test.empty() || static_cast<int>(test.size()) == c.subjects)
    fail("preset {}: {} of {} subjects for test; expected both splits to have subjects", p, test.size(), c.subjects);
  const SessionShape& s = c.session;
  if (s.rounds < 1 || s.rounds > 100) fail("preset {}: rounds = {}, expected 1..100", p, s.rounds);
  if (s.min_windows < 1 || s.max_windows < s.min_windows || s.max_windows > 1000)
    fail("preset {}: windows per recording {}..{}, expected 1 <= min <= max <= 1000", p, s.min_windows, s.max_windows);
  if (!(s.min_transition >= 0.5) || !(s.max_transition >= s.min_transition) || !(s.max_transition <= 60))
    fail("preset {}: transitions of {}..{} s, expected 0.5 <= min <= max <= 60", p, s.min_transition, s.max_transition);
}

ImuDataset generate_imu(const ImuSynthConfig& config, uint64_t seed, const SynthProgress& progress) {
  check_imu_config(config);
  SplitBuilder train, test;
  ImuDataset data;
  for (int id = 1; id <= config.subjects; ++id) {
    const ImuSubject subject = sample_imu_subject(seed, id);
    const std::vector<SessionSegment> segments = plan_session(subject, config.session, seed);
    const SessionSignals signals =
        simulate_session(subject, segments, derive_seed(seed, {kImuSessionStream, static_cast<uint64_t>(id)}));
    const bool is_test =
        std::find(config.test_subjects.begin(), config.test_subjects.end(), id) != config.test_subjects.end();
    SplitBuilder& split = is_test ? test : train;
    for (const WindowSpan& span : window_spans(segments)) {
      const size_t at = split.values.size();
      split.values.resize(at + kHarChannels * kHarWindowSamples);
      copy_window(signals, span.start, split.values.data() + at);
      split.labels.push_back(static_cast<int>(segments[span.segment].activity));
      split.subjects.push_back(id);
    }
    data.subjects.push_back(subject);
    if (progress) progress(static_cast<size_t>(id), static_cast<size_t>(config.subjects));
  }
  data.train = train.finish();
  data.test = test.finish();
  return data;
}

ImuDataset synthesize_imu(const ImuSynthConfig& config, uint64_t seed, const fs::path& out,
                          const SynthProgress& progress) {
  check_imu_config(config);
  prepare_output_folder(out);
  write_file_atomically(out / kSynthManifest, manifest(config, seed, nullptr));
  const size_t total = static_cast<size_t>(config.subjects) + 2;
  ImuDataset data = generate_imu(config, seed, [&](size_t done, size_t) {
    if (progress) progress(done, total);
  });
  write_uci_har_labels(out, data.train.activity_names);
  write_uci_har_split(out, "train", data.train);
  if (progress) progress(total - 1, total);
  write_uci_har_split(out, "test", data.test);
  write_file_atomically(out / "README.txt", readme(config, seed, data));
  write_file_atomically(out / kSynthManifest, manifest(config, seed, &data));
  if (progress) progress(total, total);
  return data;
}

}  // namespace stride::data
