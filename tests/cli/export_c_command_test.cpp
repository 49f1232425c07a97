// `stride export-c` and `stride info --board` as a user runs them: a model too large for the board is
// refused with both figures before anything is written (and, forced, fails at link time), an op
// without a C kernel is refused by node, and a fitting model is written with its firmware.
#include <gtest/gtest.h>

#include <filesystem>

#include "mcu/full_integer_models.h"
#include "mcu/mcu_test_support.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

class ExportCCommand : public CommandTest {};

TEST_F(ExportCCommand, WritesTheCAndItsFirmwareAndSaysWhatItNeeds) {
  const std::string model = save(mcu::full_integer("har-cnn"), "har-cnn-int.onnx");
  const Outcome o = run_stride({"export-c", model, "--board", "nano33ble", "-o", path("c")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("RAM: arena"), std::string::npos) << o.output;
  for (const char* file : {"stride_model.h", "stride_model.c", "stride_test_input.h", "stride_host_batch.c", "main.c",
                           "startup.c", "board.ld", "Makefile"})
    EXPECT_TRUE(std::filesystem::exists(path("c") + "/" + file)) << file;
  const mcu::Outcome host = mcu::run("make -s -C '" + path("c") + "' host");
  EXPECT_EQ(host.exit_code, 0) << host.output;
  EXPECT_NE(host.output.find("OUTPUT 6 "), std::string::npos) << host.output;

  const Outcome info = run_stride({"info", model, "--no-layers", "--board", "nano33ble"});
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("as C for nano33ble"), std::string::npos) << info.output;
  EXPECT_NE(info.output.find("it fits"), std::string::npos) << info.output;
}

// har-lstm's arena (33 KiB: the first LSTM's sequence in f32) cannot fit the Cortex-M3's 20 KiB.
TEST_F(ExportCCommand, AModelTooLargeForTheBoardIsRefusedWithBothFigures) {
  const std::string model = save(mcu::full_integer("har-lstm"), "har-lstm-int.onnx");
  expect_refused({"export-c", model, "--board", "stm32f103", "-o", path("c")}, "of RAM, stm32f103 has 20.0 KiB",
                 kUsage);
  const Outcome info = run_stride({"info", model, "--no-layers", "--board", "stm32f103"});
  EXPECT_NE(info.output.find("does not fit: needs"), std::string::npos) << info.output;

  // Forced, it is written with a warning (FirmwareEmulatedExport in tests/mcu: its link then fails).
  const Outcome forced = run_stride({"export-c", model, "--board", "stm32f103", "--force", "-o", path("c")});
  ASSERT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_NE(forced.output.find("warning: needs"), std::string::npos) << forced.output;
  EXPECT_TRUE(std::filesystem::exists(path("c") + "/board.ld"));
}

TEST_F(ExportCCommand, RefusesAnOpWithoutACKernelAndAFloatModelBeforeWriting) {
  Graph g = mcu::full_integer("har-cnn");
  for (Node& node : g.nodes)
    if (node.op_type == "Softmax") {
      node.op_type = "Sigmoid";
      node.name = "the_head";
    }
  expect_refused({"export-c", save(g, "sigmoid.onnx"), "-o", path("c")}, "node 'the_head' (Sigmoid): no C kernel",
                 kUsage);
  expect_refused({"export-c", save(build_model("har-cnn"), "float.onnx"), "-o", path("c")},
                 "quantize the model first", kUsage);
  expect_refused({"export-c", save(g, "any.onnx"), "--board", "arduino-uno", "-o", path("c")},
                 "unknown board 'arduino-uno'", kUsage);
}

}  // namespace
}  // namespace stride::testing
