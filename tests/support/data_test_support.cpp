#include "support/data_test_support.h"

#include <cstdlib>
#include <memory>
#include <opencv2/imgcodecs.hpp>

#include "stride/core/error.h"
#include "stride/data/synthesizer.h"

namespace stride::data::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "stride-data-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void write_fixture(const fs::path& path, const cv::Mat& image) {
  fs::create_directories(path.parent_path());
  ASSERT_TRUE(cv::imwrite(path.string(), image)) << path;
}

cv::Mat rectangle_frame(int x, int y, int w, int h) {
  cv::Mat frame = cv::Mat::zeros(240, 320, CV_8UC1);
  frame(cv::Rect(x, y, w, h)).setTo(255);
  return frame;
}

namespace {

// A preset rendered once per test run with seed 7 into a folder removed at exit.
fs::path rendered_once(const std::string& preset, std::unique_ptr<TempDir>& holder) {
  holder = std::make_unique<TempDir>();
  synthesize(synth_preset(preset), 7, holder->path() / preset);
  return holder->path() / preset;
}

}  // namespace

const fs::path& tiny_dataset() {
  static std::unique_ptr<TempDir> dir;
  static const fs::path root = rendered_once("tiny", dir);
  return root;
}

const fs::path& tum_gaid_tiny_dataset() {
  static std::unique_ptr<TempDir> dir;
  static const fs::path root = rendered_once("tum-gaid-tiny", dir);
  return root;
}

void expect_error_naming(const std::function<void()>& action, const std::string& fragment) {
  try {
    action();
    ADD_FAILURE() << "expected a stride::Error naming " << fragment;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << "message '" << e.what() << "' does not name " << fragment;
  }
}

}  // namespace stride::data::testing
