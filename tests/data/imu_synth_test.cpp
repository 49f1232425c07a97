#include "stride/data/imu_synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/data_test_support.h"
#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/data/subject.h"

namespace stride::data {
namespace {
namespace fs = std::filesystem;
using testing::expect_error_naming;

// One recording of `activity` alone, `samples` long.
std::vector<SessionSegment> single_recording(const ImuSubject& subject, Activity activity, int64_t samples,
                                             uint64_t seed) {
  Rng rng(seed);
  return {{activity, 0, samples, recording_motion(subject, activity, rng)}};
}

std::array<double, 3> mean_total_acc(const SessionSignals& s, int64_t begin, int64_t end) {
  std::array<double, 3> mean{};
  for (int64_t i = begin; i < end; ++i)
    for (size_t a = 0; a < 3; ++a) mean[a] += s.channels[6 + a][static_cast<size_t>(i)];
  for (double& m : mean) m /= static_cast<double>(end - begin);
  return mean;
}

// total_acc along its mean direction (the vertical of a walker), mean removed.
std::vector<double> vertical(const SessionSignals& s, int64_t begin, int64_t end) {
  const std::array<double, 3> g = mean_total_acc(s, begin, end);
  const double norm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
  std::vector<double> v;
  for (int64_t i = begin; i < end; ++i) {
    double dot = 0;
    for (size_t a = 0; a < 3; ++a) dot += s.channels[6 + a][static_cast<size_t>(i)] * g[a];
    v.push_back(dot / norm - norm);
  }
  return v;
}

// The frequency of the largest DFT bin (excluding 0 Hz) of x sampled at `rate`.
double dominant_frequency(const std::vector<double>& x, double rate) {
  const size_t n = x.size();
  size_t best = 1;
  double best_power = 0;
  for (size_t k = 1; k < n / 2; ++k) {
    double re = 0, im = 0;
    for (size_t i = 0; i < n; ++i) {
      re += x[i] * std::cos(kTwoPi * static_cast<double>(k * i % n) / n);
      im -= x[i] * std::sin(kTwoPi * static_cast<double>(k * i % n) / n);
    }
    if (re * re + im * im > best_power) best_power = re * re + im * im, best = k;
  }
  return best * rate / n;
}

TEST(ImuSynth, CadenceIsTheWalkersStepFrequency) {
  for (int id = 1; id <= 6; ++id) {
    const ImuSubject subject = sample_imu_subject(11, id);
    // The gait generator's walker of the same seed and number sets the rhythm.
    const double walker_steps = 2.0 * sample_subject(11, id).gait.cycles_per_second;
    EXPECT_DOUBLE_EQ(subject.gait.step_frequency, std::clamp(walker_steps, 1.6, 2.1));

    const auto segments = single_recording(subject, Activity::walking, 1024, id);
    const double cadence = segments[0].motion.style.step_frequency;
    EXPECT_NEAR(cadence, subject.gait.step_frequency, 0.08 * subject.gait.step_frequency);
    const SessionSignals signals = simulate_session(subject, segments, 3);
    // 1024 samples at 50 Hz: bins of 0.049 Hz.
    EXPECT_NEAR(dominant_frequency(vertical(signals, 0, 1024), kImuSampleRate), cadence, kImuSampleRate / 1024)
        << "subject " << id;
  }
}

TEST(ImuSynth, StairsChangeTheRhythm) {
  const ImuSubject subject = sample_imu_subject(11, 1);
  double rate[3];
  for (Activity a : {Activity::walking, Activity::upstairs, Activity::downstairs}) {
    const auto segments = single_recording(subject, a, 1024, 5);
    rate[static_cast<int>(a)] = dominant_frequency(vertical(simulate_session(subject, segments, 3), 0, 1024), 50);
  }
  EXPECT_LT(rate[1], 0.95 * rate[0]);  // upstairs: slower
  EXPECT_GT(rate[2], rate[0]);         // downstairs: quicker
}

TEST(ImuSynth, AtRestTheAccelerometerReadsOneG) {
  for (int id = 1; id <= 4; ++id) {
    const ImuSubject subject = sample_imu_subject(2, id);
    for (Activity a : {Activity::standing, Activity::sitting, Activity::lying}) {
      const SessionSignals s = simulate_session(subject, single_recording(subject, a, 512, id), 9);
      double magnitude = 0, body_mean = 0, body_square = 0;
      for (size_t i = 0; i < 512; ++i) {
        const double x = s.channels[6][i], y = s.channels[7][i], z = s.channels[8][i];
        magnitude += std::sqrt(x * x + y * y + z * z) / 512;
        body_mean += s.channels[0][i] / 512;
        body_square += s.channels[0][i] * s.channels[0][i] / 512;
      }
      EXPECT_NEAR(magnitude, 1.0, 0.05) << activity_name(a) << " subject " << id;
      // Gravity is all of it: body acceleration (total minus its part below 0.3 Hz) stays near 0.
      EXPECT_NEAR(body_mean, 0.0, 0.005) << activity_name(a);
      EXPECT_LT(std::sqrt(body_square), 0.03) << activity_name(a);
    }
  }
}

TEST(ImuSynth, LyingPutsGravityOnAnotherAxis) {
  for (int id = 1; id <= 8; ++id) {
    const ImuSubject subject = sample_imu_subject(4, id);
    const SessionSignals standing =
        simulate_session(subject, single_recording(subject, Activity::standing, 256, id), 1);
    const SessionSignals lying = simulate_session(subject, single_recording(subject, Activity::lying, 256, id), 1);
    const auto up = mean_total_acc(standing, 0, 256), down = mean_total_acc(lying, 0, 256);
    // Standing, gravity runs along the phone's x axis (up the body); lying, across it, on y and z
    // (shared between them as the phone is turned on the belt).
    EXPECT_GT(up[0], 0.85) << "subject " << id;
    EXPECT_LT(std::hypot(up[1], up[2]), 0.5) << "subject " << id;
    EXPECT_LT(std::abs(down[0]), 0.5) << "subject " << id;
    EXPECT_GT(std::hypot(down[1], down[2]), 0.85) << "subject " << id;
  }
}

TEST(ImuSynth, WindowsOverlapByHalfAndStayInsideRecordings) {
  const ImuSubject subject = sample_imu_subject(3, 2);
  const std::vector<SessionSegment> segments = plan_session(subject, {.rounds = 1}, 3);
  ASSERT_EQ(segments.size(), static_cast<size_t>(kActivityCount));
  const SessionSignals signals = simulate_session(subject, segments, 8);
  const std::vector<WindowSpan> spans = window_spans(segments);
  size_t overlapping = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    const SessionSegment& seg = segments[spans[i].segment];
    EXPECT_GE(spans[i].start, seg.start);
    EXPECT_LE(spans[i].start + kHarWindowSamples, seg.start + seg.samples);
    if (i == 0 || spans[i].segment != spans[i - 1].segment) continue;
    ASSERT_EQ(spans[i].start - spans[i - 1].start, 64);
    std::vector<float> a(kHarChannels * kHarWindowSamples), b(a.size());
    copy_window(signals, spans[i - 1].start, a.data());
    copy_window(signals, spans[i].start, b.data());
    for (int c = 0; c < kHarChannels; ++c)
      ASSERT_TRUE(std::equal(a.begin() + c * 128 + 64, a.begin() + (c + 1) * 128, b.begin() + c * 128)) << c;
    ++overlapping;
  }
  EXPECT_GT(overlapping, 20u);
  // Each recording holds 6..11 windows (the default shape) and is followed by a transition.
  for (size_t s = 0; s + 1 < segments.size(); ++s) {
    EXPECT_GE(segments[s + 1].start - (segments[s].start + segments[s].samples), 75);  // 1.5 s
    const auto count = std::count_if(spans.begin(), spans.end(), [&](const WindowSpan& w) { return w.segment == s; });
    EXPECT_GE(count, 6);
    EXPECT_LE(count, 11);
  }
}

ImuSynthConfig small_config() {
  ImuSynthConfig c = imu_synth_preset("har-mini");
  c.subjects = 3;
  c.test_subjects = {2};
  c.session = {.rounds = 1, .min_windows = 2, .max_windows = 3};
  return c;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file under `root`, by relative path.
std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = read_text(e.path());
  return files;
}

TEST(ImuSynth, SameSeedSameBytesOtherSeedOtherSignals) {
  testing::TempDir dir;
  synthesize_imu(small_config(), 5, dir / "a");
  synthesize_imu(small_config(), 5, dir / "b");
  synthesize_imu(small_config(), 6, dir / "c");
  const auto a = files_under(dir / "a"), b = files_under(dir / "b"), c = files_under(dir / "c");
  EXPECT_EQ(a.size(), 2u + 1u + 2u * 11u);  // README, manifest, labels; per split y, subject, 9 signals
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), c.size());
  for (const auto& [name, bytes] : a)
    if (name.find("Inertial Signals") != std::string::npos) {
      EXPECT_NE(bytes, c.at(name)) << name;
    }
}

TEST(ImuSynth, WritesALoadableUciHarFolder) {
  testing::TempDir dir;
  const fs::path out = dir / "har";
  std::vector<std::pair<size_t, size_t>> calls;
  const ImuDataset data =
      synthesize_imu(small_config(), 3, out, [&](size_t done, size_t total) { calls.emplace_back(done, total); });
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(size_t{5}, size_t{5}));  // 3 subjects, 2 splits
  ASSERT_TRUE(is_uci_har(out));
  const HarWindows train = load_uci_har(out, "train"), test = load_uci_har(out, "test");
  EXPECT_EQ(train.signals, data.train.signals);  // bit for bit through the text files
  EXPECT_EQ(train.labels, data.train.labels);
  EXPECT_EQ(test.signals, data.test.signals);
  EXPECT_EQ(test.subjects, std::vector<int>(test.subjects.size(), 2));
  EXPECT_EQ(std::set<int>(train.subjects.begin(), train.subjects.end()), (std::set<int>{1, 3}));
  EXPECT_EQ(std::set<int>(train.labels.begin(), train.labels.end()), (std::set<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_NE(read_text(out / kSynthManifest).find("state: complete"), std::string::npos);
  const std::string readme = read_text(out / "README.txt");
  EXPECT_NE(readme.find("generated, not recorded"), std::string::npos);
  EXPECT_NE(readme.find("--preset har-mini --seed 3"), std::string::npos);
  EXPECT_NE(readme.find("\n2 test "), std::string::npos);  // a line of parameters per subject

  expect_error_naming([&] { synthesize_imu(small_config(), 3, out); }, "is not empty");
}

TEST(ImuSynth, PresetsHaveUciHarsShape) {
  const ImuSynthConfig har = imu_synth_preset("har");
  EXPECT_EQ(har.subjects, 30);
  EXPECT_EQ(har.test_subjects, (std::vector<int>{2, 4, 9, 10, 12, 13, 18, 20, 24}));
  const ImuSynthConfig mini = imu_synth_preset("har-mini");
  EXPECT_EQ(mini.subjects, 20);
  EXPECT_EQ(mini.test_subjects.size(), 6u);
  EXPECT_THROW(imu_synth_preset("uci"), UsageError);
  expect_error_naming([] { imu_synth_preset("uci"); }, "har-mini, har");

  ImuSynthConfig bad = mini;
  bad.test_subjects = {21};
  expect_error_naming([&] { check_imu_config(bad); }, "test subject 21 outside 1..20");
  bad.test_subjects = {};
  expect_error_naming([&] { check_imu_config(bad); }, "both splits");
  bad = mini;
  bad.session.min_windows = 4;
  bad.session.max_windows = 3;
  expect_error_naming([&] { check_imu_config(bad); }, "windows per recording 4..3");
}

// A few hand features per window: the mean of total_acc (posture), the spread of body_acc and of the
// gyroscope (how hard the body moves), the step rhythm and the largest jolt along the vertical.
std::vector<double> features(const float* w) {
  const auto channel = [&](int c) { return w + c * kHarWindowSamples; };
  std::vector<double> f;
  std::array<double, 3> g{};
  for (int a = 0; a < 3; ++a) {
    for (int s = 0; s < 128; ++s) g[a] += channel(6 + a)[s] / 128.0;
    f.push_back(g[a]);
  }
  for (int c = 0; c < 6; ++c) {
    double mean = 0, square = 0;
    for (int s = 0; s < 128; ++s) mean += channel(c)[s] / 128.0, square += channel(c)[s] * channel(c)[s] / 128.0;
    f.push_back(std::sqrt(std::max(0.0, square - mean * mean)));
  }
  const double norm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
  std::vector<double> v;
  for (int s = 0; s < 128; ++s)
    v.push_back((channel(6)[s] * g[0] + channel(7)[s] * g[1] + channel(8)[s] * g[2]) / norm);
  double best = 0, best_power = 0;
  for (double hz = 0.8; hz < 3.0; hz += 0.02) {
    double re = 0, im = 0;
    for (int s = 0; s < 128; ++s)
      re += v[s] * std::cos(kTwoPi * hz * s / 50), im += v[s] * std::sin(kTwoPi * hz * s / 50);
    if (re * re + im * im > best_power) best_power = re * re + im * im, best = hz;
  }
  f.push_back(best);
  f.push_back(*std::max_element(v.begin(), v.end()) - norm);
  return f;
}

// Not too easy, not too hard: a 5-nearest-neighbour vote on those features, trained on har-mini's
// training subjects, recognises most test windows, and what it confuses is what real data confuses
// (sitting with standing, walking with the stairs), never a still posture with walking.
TEST(ImuSynth, ActivitiesAreSeparableButNotTrivially) {
  const ImuDataset data = generate_imu(imu_synth_preset("har-mini"), 1);
  const auto all_features = [](const HarWindows& h) {
    std::vector<std::vector<double>> out;
    for (size_t i = 0; i < h.labels.size(); ++i)
      out.push_back(features(h.signals.data<float>() + i * kHarChannels * kHarWindowSamples));
    return out;
  };
  const auto train = all_features(data.train), test = all_features(data.test);
  const size_t n = train[0].size();
  std::vector<double> mean(n), sd(n);
  for (const auto& f : train)
    for (size_t j = 0; j < n; ++j) mean[j] += f[j] / train.size();
  for (const auto& f : train)
    for (size_t j = 0; j < n; ++j) sd[j] += (f[j] - mean[j]) * (f[j] - mean[j]) / train.size();
  for (double& s : sd) s = std::sqrt(s);

  int confusion[kActivityCount][kActivityCount] = {};
  for (size_t i = 0; i < test.size(); ++i) {
    std::vector<std::pair<double, int>> distances;
    for (size_t k = 0; k < train.size(); ++k) {
      double d = 0;
      for (size_t j = 0; j < n; ++j) d += std::pow((test[i][j] - train[k][j]) / sd[j], 2);
      distances.emplace_back(d, data.train.labels[k]);
    }
    std::partial_sort(distances.begin(), distances.begin() + 5, distances.end());
    int votes[kActivityCount] = {};
    for (int q = 0; q < 5; ++q) ++votes[distances[q].second];
    ++confusion[data.test.labels[i]][std::max_element(votes, votes + kActivityCount) - votes];
  }
  const auto is_still = [](int a) { return a >= static_cast<int>(Activity::sitting); };
  const int lying = static_cast<int>(Activity::lying);
  int right = 0, walking_confusions = 0, sit_stand_confusions = 0, other = 0;
  for (int t = 0; t < kActivityCount; ++t)
    for (int p = 0; p < kActivityCount; ++p) {
      const int count = confusion[t][p];
      if (t == p)
        right += count;
      else if (!is_still(t) && !is_still(p))
        walking_confusions += count;
      else if (is_still(t) && is_still(p) && t != lying && p != lying)
        sit_stand_confusions += count;
      else
        other += count;
    }
  const double accuracy = static_cast<double>(right) / test.size();
  EXPECT_GT(accuracy, 0.75);
  EXPECT_LT(accuracy, 0.97);
  EXPECT_GT(walking_confusions, 5);
  EXPECT_GT(sit_stand_confusions, 5);
  EXPECT_LE(other, static_cast<int>(test.size() / 50));
  int lying_windows = 0;
  for (int p = 0; p < kActivityCount; ++p) lying_windows += confusion[lying][p];
  EXPECT_GE(confusion[lying][lying], 0.9 * lying_windows);
}

}  // namespace
}  // namespace stride::data
