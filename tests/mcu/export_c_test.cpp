// The C that `stride export-c` writes, built for the host with the system's C compiler (no cross
// tools; FirmwareEmulatedExport: also cross-built and run under QEMU) and run on 100 inputs: its int8 outputs against the onednn backend's on the same
// full-integer model (the arithmetic the C copies) and against the ref backend's (the ONNX
// specification's, in f32). And the refusals: ops without a C kernel, float models.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mcu/full_integer_models.h"
#include "mcu/mcu_test_support.h"
#include "stride/core/atomic_file.h"
#include "stride/core/usage_error.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/mcu/boards.h"
#include "stride/mcu/c_model_writer.h"
#include "stride/mcu/integer_program.h"
#include "stride/zoo/graph_builder.h"
#include "stride/zoo/zoo.h"

namespace stride::mcu {
namespace {

namespace fs = std::filesystem;

class ExportC : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stride_export_c_" + std::to_string(getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Exports the model for nano33ble and runs its batch program on `inputs` (int8, [N, ...]) with
  // `target`: host-batch (the host's C compiler) or batch (cross-built, under QEMU).
  std::vector<int8_t> run_c(const IntegerProgram& program, const Tensor& inputs, const std::string& target) {
    const CModelFiles files = write_c_model(program, "model", model_input_integers(program, first(inputs)));
    write_c_export(dir_, files, board_named("nano33ble"));
    write_file_atomically(dir_ / "stride_inputs.bin",
                          std::string_view(reinterpret_cast<const char*>(inputs.raw()), inputs.nbytes()));
    const Outcome o = run("make -s -C '" + dir_.string() + "' " + target);
    EXPECT_EQ(o.exit_code, 0) << o.output;
    EXPECT_NE(o.output.find("BATCH " + std::to_string(inputs.dim(0))), std::string::npos) << o.output;
    const std::string bytes = read_file(dir_ / "stride_outputs.bin");
    return {bytes.begin(), bytes.end()};
  }

  static Tensor first(const Tensor& batch) {
    Shape shape = batch.shape();
    shape[0] = 1;
    Tensor one(batch.dtype(), shape);
    std::memcpy(one.raw(), batch.raw(), one.nbytes());
    return one;
  }

  fs::path dir_;
};

struct Agreement {
  int64_t values = 0, exact = 0, worst = 0;
};

Agreement agreement(const std::vector<int8_t>& c, const Tensor& engine, bool unsigned_values) {
  Agreement a;
  EXPECT_EQ(static_cast<int64_t>(c.size()), engine.numel());
  for (int64_t i = 0; i < engine.numel() && i < static_cast<int64_t>(c.size()); ++i) {
    const int mine = unsigned_values ? static_cast<uint8_t>(c[i]) : c[i];
    const int theirs = unsigned_values ? engine.values<uint8_t>()[i] : engine.values<int8_t>()[i];
    ++a.values;
    a.exact += mine == theirs;
    a.worst = std::max<int64_t>(a.worst, std::abs(mine - theirs));
  }
  return a;
}

class ExportHarModel : public ExportC, public ::testing::WithParamInterface<const char*> {};

// The integer steps are the engine's own arithmetic; the f32 steps (the mean over time, the LSTM,
// the softmax) may round an ulp differently from oneDNN's kernels (its exp and tanh are its own), and a
// tie before a QuantizeLinear may then go the other way: one LSB, rarely. Without VNNI the engine
// stores 7-bit weights (int8_anchor.h), so its sums are not the C's: there only ref is compared.
// 100 windows as the model's integers.
Tensor integer_windows(const IntegerProgram& program, int64_t n) {
  const Tensor floats = imu_windows(n, 11);
  Tensor inputs(DType::s8, {n, 9, 128});
  for (int64_t i = 0; i < n; ++i) {
    Tensor one(DType::f32, {1, 9, 128});
    std::copy_n(floats.values<float>().begin() + i * 9 * 128, 9 * 128, one.values<float>().begin());
    const Tensor q = model_input_integers(program, one);
    std::memcpy(inputs.raw() + i * q.nbytes(), q.raw(), q.nbytes());
  }
  return inputs;
}

// The C's outputs against the onednn and ref backends' on the same file and inputs.
void expect_engines_bytes(const Graph& model, const IntegerProgram& program, const Tensor& inputs,
                          const std::vector<int8_t>& c) {
  const bool out_unsigned = program.tensors[program.output].storage == Storage::u8;
  const std::string name = model.inputs[0].name, out = "probabilities";
  const Shape shape = inputs.shape();
  const auto onednn_plan = OnednnBackend().compile(model, {.input_shapes = {{name, shape}}});
  const Agreement with_onednn = agreement(c, onednn_plan->run({{name, inputs}}).at(out), out_unsigned);
  const auto ref_plan = RefBackend().compile(model, {.input_shapes = {{name, shape}}});
  const Agreement with_ref = agreement(c, ref_plan->run({{name, inputs}}).at(out), out_unsigned);
  EXPECT_EQ(with_onednn.values, shape[0] * 6);
  EXPECT_LE(with_ref.worst, 1);
  EXPECT_GE(with_ref.exact, with_ref.values * 97 / 100) << with_ref.exact << " of " << with_ref.values;
  if (onednn::has_exact_int8_dot_product()) {
    EXPECT_LE(with_onednn.worst, 1);
    EXPECT_GE(with_onednn.exact, with_onednn.values * 97 / 100) << with_onednn.exact << " of " << with_onednn.values;
  }
  ::testing::Test::RecordProperty("exact_vs_onednn",
                                  std::to_string(with_onednn.exact) + "/" + std::to_string(with_onednn.values));
  ::testing::Test::RecordProperty("exact_vs_ref", std::to_string(with_ref.exact) + "/" + std::to_string(with_ref.values));
}

TEST_P(ExportHarModel, TheCGivesTheEnginesBytesOnAHundredWindows) {
  const Graph model = full_integer(GetParam());
  const IntegerProgram program = lower_to_integer_program(model);
  ASSERT_EQ(program.tensors[program.input].storage, Storage::s8);  // IMU signals are signed
  const Tensor inputs = integer_windows(program, 100);
  expect_engines_bytes(model, program, inputs, run_c(program, inputs, "host-batch"));
}

std::string test_name(const ::testing::TestParamInfo<const char*>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Har, ExportHarModel, ::testing::Values("har-cnn", "har-lstm", "har-cnn-lstm"), test_name);

// The same on the emulated Cortex-M4 (nano33ble on QEMU's mps2-an386): the board's bytes are the
// host's, input for input. `make mcu-test` runs it; elsewhere it needs `make deps-mcu`.
class FirmwareEmulatedExport : public ExportHarModel {};

TEST_P(FirmwareEmulatedExport, TheBoardGivesTheHostsBytesOnAHundredWindows) {
  if (!cross_tools_installed(true))
    GTEST_SKIP() << "arm-none-eabi-gcc or qemu-system-arm not installed: run make deps-mcu";
  const Graph model = full_integer(GetParam());
  const IntegerProgram program = lower_to_integer_program(model);
  const Tensor inputs = integer_windows(program, 100);
  const std::vector<int8_t> host = run_c(program, inputs, "host-batch");
  const std::vector<int8_t> board = run_c(program, inputs, "batch");
  EXPECT_EQ(board, host);
  expect_engines_bytes(model, program, inputs, board);
}

INSTANTIATE_TEST_SUITE_P(Har, FirmwareEmulatedExport, ::testing::Values("har-cnn", "har-lstm", "har-cnn-lstm"),
                         test_name);

TEST_F(ExportC, TheArenaHoldsNoTwoLiveBuffersInTheSameBytes) {
  const IntegerProgram p = lower_to_integer_program(full_integer("har-cnn"));
  ASSERT_GT(p.arena_bytes, 0u);
  for (size_t a = 0; a < p.buffers.size(); ++a) {
    EXPECT_LE(p.buffers[a].offset + p.buffers[a].bytes, p.arena_bytes);
    for (size_t b = a + 1; b < p.buffers.size(); ++b) {
      const ArenaBuffer &x = p.buffers[a], &y = p.buffers[b];
      const bool alive_together = x.first_step <= y.last_step && y.first_step <= x.last_step;
      const bool overlap = x.offset < y.offset + y.bytes && y.offset < x.offset + x.bytes;
      EXPECT_FALSE(alive_together && overlap) << "buffers " << a << " and " << b;
    }
  }
  // Smaller than all buffers side by side: dead buffers' bytes are reused.
  size_t all = 0;
  for (const ArenaBuffer& b : p.buffers) all += b.bytes;
  EXPECT_LT(p.arena_bytes, all);
}

TEST_F(ExportC, RefusesFloatModelsAndOpsWithoutAKernelByName) {
  EXPECT_THROW(
      {
        try {
          lower_to_integer_program(build_model("har-cnn"));
        } catch (const UsageError& e) {
          EXPECT_NE(std::string(e.what()).find("full-integer"), std::string::npos) << e.what();
          throw;
        }
      },
      UsageError);
  Graph g = full_integer("har-cnn");
  for (Node& node : g.nodes)
    if (node.op_type == "Softmax") {
      node.op_type = "Sigmoid";
      node.name = "the_head";
    }
  try {
    lower_to_integer_program(g);
    ADD_FAILURE() << "a Sigmoid was lowered";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'the_head' (Sigmoid): no C kernel"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace stride::mcu
