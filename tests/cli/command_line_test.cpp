// Misused command lines get one line on stderr in Stride's own words, as every other error does.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/command_support.h"

namespace stride::testing {
namespace {

using CommandLine = CommandTest;

size_t lines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST_F(CommandLine, UnknownCommandIsNamed) {
  const Outcome o = run_stride({"foo"});
  EXPECT_NE(o.exit_code, 0);
  EXPECT_EQ(o.output, "stride: error: unknown command 'foo' (run 'stride --help' for the list)\n");
  const Outcome sub = run_stride({"zoo", "frobnicate"});
  EXPECT_NE(sub.exit_code, 0);
  EXPECT_EQ(sub.output, "stride: error: unknown command 'zoo frobnicate' (run 'stride zoo --help' for the list)\n");
}

TEST_F(CommandLine, MissingCommandIsOneLine) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{}, std::vector<std::string>{"data"}}) {
    const Outcome o = run_stride(args);
    EXPECT_NE(o.exit_code, 0);
    EXPECT_EQ(lines(o.output), 1u) << o.output;
    EXPECT_EQ(o.output.rfind("stride: error: ", 0), 0u) << o.output;
    EXPECT_NE(o.output.find("--help"), std::string::npos) << o.output;
  }
}

// CLI11 would print the limits of a double in full (300 digits) and a second line.
TEST_F(CommandLine, RangeErrorsAreShortAndOneLine) {
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{"zoo", "build", "cnn2d", "--width-mult", "0", "-o", path("m.onnx")},
           std::vector<std::string>{"zoo", "build", "cnn2d", "--width-mult", "-3", "-o", path("m.onnx")},
           std::vector<std::string>{"data", "preview", dir_.string(), "--scale", "9"},
           std::vector<std::string>{"data", "preview", dir_.string(), "--frames", "0"},
           std::vector<std::string>{"data", "synth", "-o", path("d"), "--threads", "-1"},
           std::vector<std::string>{"eval", "m.onnx", "--data", dir_.string(), "--batch", "100000"},
           std::vector<std::string>{"eval", "m.onnx", "--data", dir_.string(), "--k", "many"},
           // 100000 OpenMP threads crashed the process (their stacks exhaust the memory map).
           std::vector<std::string>{"data", "synth", "-o", path("d"), "--threads", "100000"},
           std::vector<std::string>{"eval", "m.onnx", "--data", dir_.string(), "--threads", "5000"},
       }) {
    const Outcome o = run_stride(args);
    EXPECT_EQ(o.exit_code, 2) << o.output;  // a misused command line
    EXPECT_EQ(lines(o.output), 1u) << o.output;
    EXPECT_LT(o.output.size(), 160u) << o.output;
    EXPECT_EQ(o.output.rfind("stride: error: --", 0), 0u) << o.output;
  }
  const Outcome o = run_stride({"eval", "m.onnx", "--data", dir_.string(), "--batch", "0"});
  EXPECT_EQ(o.output, "stride: error: --batch: 0 is out of range: expected 1 to 4096\n");
}

TEST_F(CommandLine, MissingAndUnexpectedArgumentsAreOneLine) {
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{"zoo", "build", "cnn2d"},
           std::vector<std::string>{"zoo", "list", "extra"},
           std::vector<std::string>{"info", "--no-such-flag"},
       }) {
    const Outcome o = run_stride(args);
    EXPECT_NE(o.exit_code, 0) << o.output;
    EXPECT_EQ(lines(o.output), 1u) << o.output;
    EXPECT_EQ(o.output.rfind("stride: error: ", 0), 0u) << o.output;
  }
}

TEST_F(CommandLine, HelpStillWorks) {
  const Outcome o = run_stride({"--help"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.output.find("zoo"), std::string::npos);
  const Outcome sub = run_stride({"zoo", "build", "--help"});
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_NE(sub.output.find("--width-mult"), std::string::npos);
}

}  // namespace
}  // namespace stride::testing
