#pragma once
// The CASIA-B silhouette layout (ID/COND-SEQ/VIEW/ID-COND-SEQ-VIEW-FRAME.png): an index of its
// recordings and loaders for GaitSet clips and gait energy images.
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/data/condition.h"

namespace stride::data {

struct CasiaBSequence {
  int subject;
  Condition condition;  // normal, bag or coat
  int sequence;
  int view;  // degrees
  std::filesystem::path folder;
  std::vector<std::filesystem::path> frames;  // in frame-number order; never empty
};

class CasiaBIndex {
 public:
  // Reads the folder tree under `root` and checks it. Throws stride::Error naming the offending
  // path for a missing root, a folder or file whose name does not fit the layout (or disagrees with
  // its parent folders), a view folder without frames, or a recording that lacks one of the views
  // the others have. Plain files directly under `root` (notes, the generator's manifest) are ignored.
  static CasiaBIndex scan(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  // Sorted by subject, condition folder name, sequence, view.
  const std::vector<CasiaBSequence>& sequences() const { return sequences_; }
  std::vector<int> subjects() const;  // ascending
  std::vector<int> views() const;     // ascending
  // Throws stride::Error when the dataset has no such recording.
  const CasiaBSequence& find(int subject, Condition condition, int sequence, int view) const;

 private:
  std::filesystem::path root_;
  std::vector<CasiaBSequence> sequences_;
};

// The frames of a recording (CV_8UC1). Throws stride::Error naming the file when one cannot be
// read or is not binary (values other than 0 and 255).
std::vector<cv::Mat> read_silhouettes(const CasiaBSequence& sequence);

// GaitSet's input: `count` aligned frames from `start` (cycling), f32 [count, 64, 44] in [0, 1].
Tensor load_silhouette_clip(const CasiaBSequence& sequence, int count = 30, int start = 0);

// The gait energy image of the recording over its whole gait cycles, f32 [64, 44].
Tensor load_gait_energy_image(const CasiaBSequence& sequence);

// The GEI a model of input `height`×`width` takes (gait_energy_input): f32 [height, width]; 64×64
// is the recording's frames aligned at 64 rows and 64 columns, averaged over whole gait cycles.
Tensor load_gait_energy_input(const CasiaBSequence& sequence, int height, int width);

}  // namespace stride::data
