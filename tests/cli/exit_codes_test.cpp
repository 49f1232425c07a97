// One exit-code rule for every command: 2 for a command line that cannot be satisfied as written,
// whether CLI11 or Stride's own checks refuse it, and 1 for a failure while working.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

using ExitCodes = CommandTest;

TEST_F(ExitCodes, ACommandLineThatCannotBeSatisfiedExitsTwo) {
  ZooOptions o;
  o.width_mult = 0.25;
  o.classes = 5;
  const std::string cnn2d = save(build_model("cnn2d", o), "cnn2d.onnx");
  const std::string cnn3d = save(build_model("cnn3d", o), "cnn3d.onnx");
  const std::string out = path("out.onnx");
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{"prune", cnn2d, "--ratio", "1", "-o", out},
           std::vector<std::string>{"prune", cnn2d, "--round-to", "0", "-o", out},
           std::vector<std::string>{"prune", cnn2d, "--criterion", "magnitude", "--sparsity", "nan", "-o", out},
           std::vector<std::string>{"prune", cnn2d, "--max-layer-ratio", "0", "-o", out},
           std::vector<std::string>{"eval", cnn2d, "--data", dir_.string(), "--split", "bogus"},
           std::vector<std::string>{"convert", cnn3d, "--3d-to-2d", "--init", "svd", "--rank-fraction", "0", "-o", out},
       }) {
    const Outcome r = run_stride(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[2] << ": " << r.output;
    EXPECT_EQ(r.output.rfind("stride: error: --", 0), 0u) << r.output;
  }
  // Working on a model that cannot give what was asked is not a command-line error.
  const Outcome unmet = run_stride({"prune", cnn2d, "--ratio", "0.9", "--max-layer-ratio", "0.1", "-o", out});
  EXPECT_EQ(unmet.exit_code, 1) << unmet.output;
}

}  // namespace
}  // namespace stride::testing
