#pragma once
// The TUM-GAID style layout of grey frame sequences (ID/COND-SEQ/FRAME.png, conditions n, b, s):
// an index of its recordings and the optical-flow loader.
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/data/condition.h"
#include "stride/data/optical_flow.h"

namespace stride::data {

struct TumGaidSequence {
  int subject;
  Condition condition;  // normal, backpack or shoe_covers
  int sequence;
  std::filesystem::path folder;
  std::vector<std::filesystem::path> frames;  // in frame-number order; never empty
};

class TumGaidIndex {
 public:
  // Reads and checks the folder tree under `root`; throws stride::Error naming the offending path
  // for a missing root, a badly named folder or file, or a sequence folder without frames. Plain
  // files directly under `root` are ignored.
  static TumGaidIndex scan(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  const std::vector<TumGaidSequence>& sequences() const { return sequences_; }  // sorted by folder
  std::vector<int> subjects() const;                                            // ascending

 private:
  std::filesystem::path root_;
  std::vector<TumGaidSequence> sequences_;
};

// The frames (CV_8UC1; colour files are converted). Throws stride::Error naming the file when one
// cannot be read or differs in size from the first.
std::vector<cv::Mat> read_grey_frames(const TumGaidSequence& sequence);

// The recording's flow around the walker, f32 [2 * (frames - 1), size, size] (see flow_sequence);
// the models take flow_window(..., 25, start) of it.
Tensor load_flow_sequence(const TumGaidSequence& sequence, int size = 60);

}  // namespace stride::data
