#pragma once
// A contact sheet of a dataset: for a gait dataset, one row of evenly spaced frames per condition
// and view of the first subjects, labelled, to check at a glance that the walkers walk; for a UCI
// HAR folder, one row of windows per activity (har_preview.h).
#include <filesystem>

namespace stride::data {

struct PreviewOptions {
  int subjects = 2;    // first subjects shown
  int frames = 8;      // frames per row, evenly spaced over the sequence (UCI HAR: windows per activity)
  double scale = 0.5;  // of the frames' size
};

// Reads the dataset under `root` (CASIA-B, TUM-GAID or UCI HAR layout; of UCI HAR, the train split)
// and writes the sheet to `png`. Each gait row shows the first sequence of one condition (and, for
// CASIA-B, one view). Throws stride::Error from the index and loaders, or when the PNG cannot be
// written.
void write_preview(const std::filesystem::path& root, const std::filesystem::path& png,
                   const PreviewOptions& options = {});

}  // namespace stride::data
