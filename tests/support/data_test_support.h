#pragma once
// Shared pieces of the data, pipeline and training tests: temporary folders, PNG fixtures, the tiny dataset.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <opencv2/core.hpp>
#include <string>

namespace stride::data::testing {

// A fresh folder under the system's temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

// Writes `image` as PNG, creating the parent folders.
void write_fixture(const std::filesystem::path& path, const cv::Mat& image);

// A 240x320 binary frame with the rectangle [x, x + w) x [y, y + h) set to 255.
cv::Mat rectangle_frame(int x, int y, int w, int h);

// The "tiny" preset (CASIA-B layout) rendered once per test run with seed 7 (and removed at exit).
const std::filesystem::path& tiny_dataset();
// The "tum-gaid-tiny" preset, likewise.
const std::filesystem::path& tum_gaid_tiny_dataset();

// Expects `action` to throw stride::Error whose message contains `fragment` (e.g. the bad path).
void expect_error_naming(const std::function<void()>& action, const std::string& fragment);

}  // namespace stride::data::testing
