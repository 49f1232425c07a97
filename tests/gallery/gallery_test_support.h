#pragma once
// A temporary folder per test, the raw bytes of a gallery file and its WAL, and the one-line
// refusals the gallery's errors must be.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "stride/core/error.h"

namespace stride::gallery {

class GalleryFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() / ("stride_gallery_" + std::string(info->test_suite_name()) + "_" +
                                                     std::to_string(getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }

  std::filesystem::path dir_;
};

inline std::string file_bytes(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return {};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The database file and its write-ahead log together: everything on disk that could hold a row.
inline std::string stored_bytes(const std::filesystem::path& db) {
  return file_bytes(db) + file_bytes(db.string() + "-wal");
}

inline bool holds(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline std::string bytes_of(const std::vector<float>& values) {
  return {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)};
}

// `action` throws stride::Error with a one-line message holding `expected`.
inline void expect_one_line_error(const std::function<void()>& action, const std::string& expected) {
  try {
    action();
    ADD_FAILURE() << "no error; expected one saying: " << expected;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
}

}  // namespace stride::gallery
