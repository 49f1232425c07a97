#pragma once
// One subject's session with the phone on: recordings of the six activities one after the other
// (UCI's protocol, repeated), with a transition of a few seconds between two recordings, simulated
// at 50 Hz and cut into UCI HAR's windows of 128 samples with 50 % overlap.
#include <array>
#include <cstdint>
#include <vector>

#include "stride/data/imu_motion.h"
#include "stride/data/imu_subject.h"
#include "stride/data/uci_har.h"

namespace stride::data {

// One recording of one activity: samples [start, start + samples) of the session. The gaps
// between recordings are the transitions; their windows are not kept, as in UCI HAR.
struct SessionSegment {
  Activity activity = Activity::standing;
  int64_t start = 0, samples = 0;
  MotionParams motion;
};

// How long a session is.
struct SessionShape {
  int rounds = 3;                                     // times the protocol's six activities are performed
  int min_windows = 6, max_windows = 11;              // windows per recording
  double min_transition = 1.5, max_transition = 3.0;  // seconds between two recordings
};

// The activities in the order a round performs them (UCI's protocol: still postures, then walking,
// down the stairs and up again).
inline constexpr std::array<Activity, kActivityCount> kProtocol{Activity::standing,   Activity::sitting,
                                                                Activity::lying,      Activity::walking,
                                                                Activity::downstairs, Activity::upstairs};

// The recordings of `subject`'s session, drawn from `seed`.
std::vector<SessionSegment> plan_session(const ImuSubject& subject, const SessionShape& shape, uint64_t seed);

// The phone's readings over the whole session (to the end of its last recording), in the channel
// order of HarWindows::signals; body_acc is total_acc minus its part below 0.3 Hz (gravity).
struct SessionSignals {
  std::array<std::vector<float>, kHarChannels> channels;
  int64_t samples() const { return static_cast<int64_t>(channels[0].size()); }
};
// `segments` must be in time order without overlap, the first starting at sample 0. Sensor noise is
// drawn from `seed`.
SessionSignals simulate_session(const ImuSubject& subject, const std::vector<SessionSegment>& segments, uint64_t seed);

// The start sample of every window inside a recording: 128 samples, one every 64, none spanning a
// transition.
struct WindowSpan {
  size_t segment;  // index into the segments
  int64_t start;
};
std::vector<WindowSpan> window_spans(const std::vector<SessionSegment>& segments);

// Copies the window starting at `start` into `out` (kHarChannels x kHarWindowSamples floats).
void copy_window(const SessionSignals& signals, int64_t start, float* out);

}  // namespace stride::data
