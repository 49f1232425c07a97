#pragma once
// The procedural body-worn sensor dataset: a smartphone on the waist recording the six activities
// of UCI HAR (walking, upstairs, downstairs, sitting, standing, lying) at 50 Hz, written in UCI
// HAR's layout (uci_har.h) and split by subject like it (docs/data.md).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stride/data/imu_session.h"
#include "stride/data/imu_subject.h"
#include "stride/data/synthesizer.h"
#include "stride/data/uci_har.h"

namespace stride::data {

struct ImuSynthConfig {
  std::string preset;
  int subjects = 10;               // numbered 1..subjects
  std::vector<int> test_subjects;  // the test split's; the others are the train split's
  SessionShape session;
};

// The presets: "har-mini" (10 subjects, 3 of them for test, about 1,500 windows) and "har" (UCI HAR's
// size and split: 30 subjects, the test ones UCI's nine, about 10,000 windows). Throws
// stride::UsageError on any other name, listing the valid ones.
ImuSynthConfig imu_synth_preset(std::string_view name);
std::vector<std::string> imu_synth_preset_names();

// Refuses (stride::Error naming the field) a configuration the generator cannot make: no subjects,
// a test subject outside 1..subjects, a split left empty, an empty window range.
void check_imu_config(const ImuSynthConfig& config);

struct ImuDataset {
  HarWindows train, test;
  std::vector<ImuSubject> subjects;  // subject id - 1
};

// The whole dataset in memory, deterministic from (config, seed). `progress` is called after each
// subject.
ImuDataset generate_imu(const ImuSynthConfig& config, uint64_t seed, const SynthProgress& progress = {});

// Generates the dataset and writes it under `out` (absent or empty) in the UCI HAR layout, with a
// README.txt (generated, preset, seed, each subject's parameters) and the manifest kSynthManifest
// (written first with state: writing, last with state: complete). Throws stride::Error naming the
// path when the folder cannot be used. `progress` counts the subjects, then the two splits written.
ImuDataset synthesize_imu(const ImuSynthConfig& config, uint64_t seed, const std::filesystem::path& out,
                          const SynthProgress& progress = {});

}  // namespace stride::data
