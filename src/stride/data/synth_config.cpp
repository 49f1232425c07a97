#include "stride/data/synth_config.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <utility>

#include "stride/core/error.h"
#include "stride/core/usage_error.h"
#include "stride/data/layout.h"

namespace stride::data {
namespace {

std::vector<SequenceSpec> sequences(std::initializer_list<std::pair<Condition, int>> counts) {
  std::vector<SequenceSpec> out;
  for (auto [condition, count] : counts)
    for (int n = 1; n <= count; ++n) out.push_back({condition, n});
  return out;
}

// CASIA-B's protocol: six normal walks, two with a bag, two in a coat.
std::vector<SequenceSpec> casia_b_sequences() {
  return sequences({{Condition::normal, 6}, {Condition::bag, 2}, {Condition::coat, 2}});
}

SynthConfig casia_b_like(std::string name, int subjects, std::vector<int> views, int frames) {
  SynthConfig c;
  c.preset = std::move(name);
  c.layout = DatasetLayout::casia_b;
  c.subjects = subjects;
  c.sequences = casia_b_sequences();
  c.views = std::move(views);
  c.frames = frames;
  return c;
}

}  // namespace

std::vector<std::string> synth_preset_names() {
  return {"tiny", "casia-b-quick", "casia-b-mini", "casia-b", "tum-gaid-tiny", "tum-gaid-quick", "tum-gaid-mini"};
}

SynthConfig synth_preset(std::string_view name) {
  // The whole CASIA-B protocol (6 NM, 2 BG, 2 CL; two views) in a few seconds: 5 training and
  // 3 test subjects under the dataset's split, for tests and the main job.
  if (name == "tiny") return casia_b_like("tiny", 8, {36, 90}, 8);
  // `stride study --preset quick`: enough subjects (12 training, 8 test) for training to show,
  // small enough to train in a minute or two.
  if (name == "casia-b-quick") return casia_b_like("casia-b-quick", 20, {54, 90}, 30);
  if (name == "casia-b-mini") return casia_b_like("casia-b-mini", 40, {54, 90, 126}, 36);
  if (name == "casia-b") {
    std::vector<int> views;
    for (int v = 0; v <= 180; v += 18) views.push_back(v);
    return casia_b_like("casia-b", 124, views, 40);
  }
  if (name == "tum-gaid-tiny") {
    // The TUM-GAID protocol (N1-6, B1-2, S1-2) for six subjects, short sequences: tests only.
    SynthConfig c = synth_preset("tum-gaid-mini");
    c.preset = "tum-gaid-tiny";
    c.subjects = 6;
    c.frames = 8;
    return c;
  }
  if (name == "tum-gaid-quick") {
    // `stride study --preset quick`: 16 subjects (8 under test), two seconds each as tum-gaid-mini
    // (training draws its 25-field windows from every phase of the walk), filmed at 160x120 with
    // the same framing: optical flow, recomputed by every evaluation, then costs a quarter.
    SynthConfig c = synth_preset("tum-gaid-mini");
    c.preset = "tum-gaid-quick";
    c.subjects = 16;
    c.studio.width = 160;
    c.studio.height = 120;
    c.studio.focal /= 2;
    return c;
  }
  if (name == "tum-gaid-mini") {
    // TUM-GAID films the walker from the side at 30 fps, closer than CASIA-B's cameras. Frames are
    // 320x240 here (the real ones are 640x480) to keep optical flow cheap; the loader takes any size.
    SynthConfig c;
    c.preset = "tum-gaid-mini";
    c.layout = DatasetLayout::tum_gaid;
    c.subjects = 32;
    c.sequences = sequences({{Condition::normal, 6}, {Condition::backpack, 2}, {Condition::shoe_covers, 2}});
    c.views = {90};
    // Two seconds, about two gait cycles: the flow models' 25-field windows then start at every
    // phase of the walk, as the real (longer) recordings allow.
    c.frames = 60;
    c.studio.fps = 30.0;
    c.studio.focal = 400.0;
    c.studio.camera_distance = 4.2;
    c.studio.camera_height = 1.0;
    return c;
  }
  usage_fail("unknown dataset preset '{}': expected one of {}", name, fmt::join(synth_preset_names(), ", "));
}

void check_config(const SynthConfig& c) {
  const std::string& p = c.preset;
  if (c.subjects < 1 || c.subjects > 999) fail("preset {}: subjects = {}, expected 1..999", p, c.subjects);
  if (c.frames < 1 || c.frames > 999) fail("preset {}: frames = {}, expected 1..999", p, c.frames);
  if (c.sequences.empty()) fail("preset {}: no sequences", p);
  if (c.views.empty()) fail("preset {}: no views", p);
  if (c.layout == DatasetLayout::tum_gaid && c.views.size() != 1)
    fail("preset {}: the TUM-GAID layout has one camera, got {} views", p, c.views.size());
  std::set<int> views;
  for (int v : c.views) {
    if (v < 0 || v > 180) fail("preset {}: view {} outside 0..180 degrees", p, v);
    if (!views.insert(v).second) fail("preset {}: view {} listed twice", p, v);
  }
  std::set<std::pair<Condition, int>> seen;
  for (const SequenceSpec& s : c.sequences) {
    condition_code(c.layout, s.condition);  // throws for a condition the layout has no name for
    if (s.number < 1 || s.number > 99) fail("preset {}: sequence number {} outside 1..99", p, s.number);
    if (!seen.insert({s.condition, s.number}).second)
      fail("preset {}: sequence {} listed twice", p, sequence_folder(c.layout, s.condition, s.number));
  }
  const Studio& st = c.studio;
  if (st.width < 16 || st.height < 16 || st.width > 4096 || st.height > 4096)
    fail("preset {}: frame size {}x{}, expected 16..4096 pixels per side", p, st.width, st.height);
  if (!(st.fps > 0) || !(st.focal > 0) || !(st.camera_distance > 1.0))
    fail("preset {}: studio needs fps > 0, focal > 0 and a camera more than 1 m away", p);
  if (c.threads < 0) fail("preset {}: threads = {}, expected 0 (automatic) or more", p, c.threads);
}

}  // namespace stride::data
