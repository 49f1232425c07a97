// `stride train` as a user runs it: what it says it wrote is what it wrote.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/command_support.h"

namespace stride::testing {
namespace {

using TrainCommand = CommandTest;

#ifdef STRIDE_WITH_TORCH
// --epochs 0 writes the untrained model and no checkpoint: it used to name one all the same.
TEST_F(TrainCommand, NoEpochNamesNoCheckpoint) {
  ASSERT_EQ(run_stride({"data", "synth", "--preset", "tiny", "--seed", "1", "-o", path("data")}).exit_code, 0);
  ASSERT_EQ(run_stride({"zoo", "build", "gaitset", "--width-mult", "0.25", "-o", path("m.onnx")}).exit_code, 0);
  const Outcome o =
      run_stride({"train", path("m.onnx"), "--data", path("data"), "--epochs", "0", "-o", path("t.onnx")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(std::filesystem::exists(path("t.onnx")));
  EXPECT_FALSE(std::filesystem::exists(path("t.onnx.checkpoint")));
  EXPECT_EQ(o.output.find("checkpoint"), std::string::npos) << o.output;
}
#endif

}  // namespace
}  // namespace stride::testing
