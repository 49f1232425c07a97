#pragma once
// A contact sheet of body-worn sensor windows (UCI HAR layout): one row per activity, a few windows
// per row, each drawn as its nine channels in three lanes (body_acc, body_gyro, total_acc; x, y, z
// in red, green and blue), to check at a glance that the activities look like themselves.
#include <opencv2/core.hpp>

#include "stride/data/preview.h"
#include "stride/data/uci_har.h"

namespace stride::data {

// options.subjects: the first subjects (by id) whose windows are shown; options.frames: windows per
// row, evenly spaced over those of the activity; options.scale: of a 384x288 tile. BGR, 8 bits.
cv::Mat draw_har_sheet(const HarWindows& windows, const PreviewOptions& options);

}  // namespace stride::data
