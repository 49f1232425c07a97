#pragma once
// The layout of the UCI "Human Activity Recognition Using Smartphones" dataset (Anguita et al. 2013):
// a smartphone on the waist, 50 Hz accelerometer and gyroscope, cut into windows of 128 samples
// (2.56 s) with 50 % overlap, split by subject into train and test (docs/data.md):
//   ROOT/activity_labels.txt                       "1 WALKING" ... "6 LAYING"
//   ROOT/<split>/y_<split>.txt                     one label 1..K per line (K activities)
//   ROOT/<split>/subject_<split>.txt               one subject id per line
//   ROOT/<split>/Inertial Signals/{body_acc,body_gyro,total_acc}_{x,y,z}_<split>.txt
//                                                  one window of 128 space-separated values per line
// body_acc is total_acc minus gravity, both in g; body_gyro in rad/s. The real dataset's 561
// features (X_<split>.txt) are neither written nor needed.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stride/core/tensor.h"

namespace stride::data {

inline constexpr int64_t kHarWindowSamples = 128;  // 2.56 s at 50 Hz
inline constexpr int64_t kHarChannels = 9;

// Channel order of HarWindows::signals: body_acc x,y,z; body_gyro x,y,z; total_acc x,y,z.
struct HarWindows {
  std::vector<std::string> activity_names;  // index = label (0-based); from activity_labels.txt
  Tensor signals;                           // f32 [N, 9, 128]
  std::vector<int> labels;                  // 0-based activity per window
  std::vector<int> subjects;                // subject id per window
};

// True when `root` has activity_labels.txt and a train/ folder with y_train.txt (cheap check, no parsing).
bool is_uci_har(const std::filesystem::path& root);

// Reads one split ("train" or "test"). Throws stride::Error naming the file and line for a ragged row
// (not 128 values), a non-number, a missing file, a label outside activity_labels.txt, or files whose
// window counts differ (naming both files and counts). A folder made by `stride data synth-imu`
// whose generation did not finish is refused as well.
HarWindows load_uci_har(const std::filesystem::path& root, std::string_view split);

// Writes a split atomically per file (core/atomic_file.h), creating folders; used by the generator.
// Throws stride::Error for windows the layout cannot hold (another shape, a label outside
// activity_names, a non-finite value).
void write_uci_har_split(const std::filesystem::path& root, std::string_view split, const HarWindows& windows);
void write_uci_har_labels(const std::filesystem::path& root, const std::vector<std::string>& activity_names);

// The file of channel `channel` (0..8, the order above) of a split, relative to the split's folder:
// "Inertial Signals/body_gyro_y_train.txt".
std::filesystem::path har_signal_file(std::string_view split, int channel);
// "body_acc_x" ... "total_acc_z".
std::string har_channel_name(int channel);

}  // namespace stride::data
