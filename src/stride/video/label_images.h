#pragma once
// Who is where in a frame as an image of ids (16-bit, 0 = nobody): the generated videos' ground
// truth and the tracker's masks are both stored so, one PNG per frame (tracking_metrics.h reads them).
#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

#include "stride/video/mot_csv.h"

namespace stride::video {

// One row per id of `labels` (CV_16UC1) seen in at least `min_pixels` pixels: the box of its
// pixels, frame `frame`, conf 1.
std::vector<MotRow> label_boxes(const cv::Mat& labels, int64_t frame, int min_pixels);

// Writes `labels` as folder/NNNNNN.png (label_image_path) into an existing folder, atomically;
// stride::Error when it cannot.
void write_label_image(const std::filesystem::path& folder, int64_t frame, const cv::Mat& labels);

}  // namespace stride::video
