#pragma once
// A fake sysfs tree in a temporary folder of the test's own: the meters read it as they read
// /sys, and the test writes the counters and readings it wants them to see.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace stride::testing {

class FakeTree {
 public:
  // suffix: a second tree in the same test.
  explicit FakeTree(const std::string& suffix = "") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            ("stride_energy_" + std::to_string(getpid()) + "_" + info->test_suite_name() + "_" + info->name() + suffix);
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~FakeTree() { std::filesystem::remove_all(root_); }
  FakeTree(const FakeTree&) = delete;
  FakeTree& operator=(const FakeTree&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::string path(const std::string& relative) const { return (root_ / relative).string(); }
  // Writes a file (and its folders) with the text and a newline, as sysfs shows a value.
  void write(const std::string& relative, const std::string& text) const {
    const auto file = root_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text << "\n";
  }
  void write(const std::string& relative, long long value) const { write(relative, std::to_string(value)); }

 private:
  std::filesystem::path root_;
};

}  // namespace stride::testing
