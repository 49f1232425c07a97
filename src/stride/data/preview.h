#pragma once
// A contact sheet of a gait dataset: for the first subjects, one row of evenly spaced frames per
// condition and view, labelled, to check at a glance that the walkers walk.
#include <filesystem>

namespace stride::data {

struct PreviewOptions {
  int subjects = 2;    // first subjects shown
  int frames = 8;      // frames per row, evenly spaced over the sequence
  double scale = 0.5;  // of the frames' size
};

// Reads the dataset under `root` (either layout) and writes the sheet to `png`. Each row shows the
// first sequence of one condition (and, for CASIA-B, one view). Throws stride::Error from the index
// and loaders, or when the PNG cannot be written.
void write_preview(const std::filesystem::path& root, const std::filesystem::path& png,
                   const PreviewOptions& options = {});

}  // namespace stride::data
