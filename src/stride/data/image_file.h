#pragma once
// PNG files of the datasets: written atomically, read with errors that name the file.
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

namespace stride::data {

// Encodes `image` as PNG into `path` through a temporary file in the same folder and a rename, so an
// interrupted run never leaves a truncated image under the final name.
void write_png(const std::filesystem::path& path, const cv::Mat& image);

// An 8-bit single-channel image from a PNG file; colour images are converted to grey. Throws
// stride::Error (one line, naming the path) when the file is missing, not a decodable PNG, not
// 8-bit, or too large for a frame.
cv::Mat read_grey_image(const std::filesystem::path& path);

// The frames of one sequence, read as read_grey_image does; throws stride::Error naming the first
// frame whose size differs from the first frame's.
std::vector<cv::Mat> read_grey_sequence(const std::vector<std::filesystem::path>& frames);

}  // namespace stride::data
