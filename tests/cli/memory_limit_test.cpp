// Work that cannot fit is refused at once, in one line with the figure and the limit; files that
// are not files (devices, FIFOs) are refused before they are opened.
#include <sys/stat.h>

#include "support/command_support.h"

namespace stride::testing {
namespace {

class MemoryLimitCommand : public CommandTest {};

TEST_F(MemoryLimitCommand, ABatchOverTheLimitIsRefusedBeforeAnyWork) {
  ASSERT_EQ(run_stride({"zoo", "build", "gaitset", "-o", path("g.onnx")}).exit_code, 0);
  // A named engine: `auto` would meet the limit while measuring the engines, before the benchmark's own estimate.
  expect_refused({"bench", path("g.onnx"), "--backend", "onednn", "--batch", "4096", "--memory-limit", "1G"},
                 "needs 1.29 GiB, more than the memory limit of 1.00 GiB");
  expect_refused({"--memory-limit", "20M", "bench", path("g.onnx"), "--batch", "1"}, "memory limit of 20.00 MiB");
  const Outcome bad = run_stride({"bench", path("g.onnx"), "--memory-limit", "lots"});
  EXPECT_NE(bad.output.find("'lots' is not a memory size"), std::string::npos) << bad.output;
}

TEST_F(MemoryLimitCommand, APreviewSheetOverTheLimitIsRefused) {
  ASSERT_EQ(run_stride({"data", "synth", "--preset", "tiny", "-o", path("data")}).exit_code, 0);
  expect_refused({"data", "preview", path("data"), "--frames", "100000", "-o", path("sheet.png")},
                 "more than the memory limit");
}

TEST_F(MemoryLimitCommand, DevicesAndFifosAreNotReadAsModels) {
  expect_refused({"info", "/dev/zero"}, "'/dev/zero' is not a regular file");
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  // Opening a FIFO without a writer would block for ever: the refusal must come first.
  const Outcome o = run_stride({"info", path("fifo")}, "timeout 20 ");
  EXPECT_EQ(o.exit_code, 1) << o.output;
  EXPECT_NE(o.output.find("is not a regular file"), std::string::npos) << o.output;
}

}  // namespace
}  // namespace stride::testing
