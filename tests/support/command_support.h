#pragma once
// Running the built `stride` binary as a user does, in a temporary folder of the test's own: the
// command tests of `stride convert`, `stride prune` and the command line's own tests share it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "stride/onnx/onnx_export.h"

namespace stride::testing {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Which of the command's streams Outcome::output holds.
enum class Streams { both, stdout_only };

// `as` prefixes the command, e.g. to run it as another user.
inline Outcome run_stride(const std::vector<std::string>& args, const std::string& as = "",
                          Streams streams = Streams::both) {
  std::string command = as + STRIDE_BINARY;
  for (const std::string& a : args) command += " '" + a + "'";
  command += streams == Streams::both ? " 2>&1" : " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  Outcome o;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) o.output.append(buffer, n);
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("stride_" + std::string(info->test_suite_name()) + "_" + std::to_string(getpid()) + "_" + info->name());
    std::filesystem::create_directories(dir_);
    // `--backend auto` remembers its choices in the user's cache: each test starts without any, so
    // that what a command prints does not depend on the tests that ran before it.
    cache_ = dir_.string() + "-cache";
    setenv("XDG_CACHE_HOME", cache_.c_str(), 1);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    std::filesystem::remove_all(cache_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string save(const Graph& g, const std::string& name) const {
    save_onnx(g, path(name));
    return path(name);
  }
  // A refusal: exit code 1 (a failure while working) or kUsage (a command line that cannot be
  // satisfied as written), one line naming the problem, nothing written in the test's folder.
  static constexpr int kUsage = 2;
  void expect_refused(const std::vector<std::string>& args, const std::string& message, int exit_code = 1) {
    const size_t files = files_in_dir();
    const Outcome o = run_stride(args);
    EXPECT_EQ(o.exit_code, exit_code) << o.output;
    EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
    EXPECT_NE(o.output.find(message), std::string::npos) << o.output;
    EXPECT_EQ(files_in_dir(), files);
  }
  // Nothing but the files the test wrote itself.
  size_t files_in_dir() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
  }

  std::filesystem::path dir_;
  std::string cache_;  // XDG_CACHE_HOME of the commands the test runs
};

}  // namespace stride::testing
