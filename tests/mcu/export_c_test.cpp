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
#include "stride/mcu/c_validation.h"
#include "stride/mcu/integer_program.h"
#include "stride/quant/dynamic_quantization.h"
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
    const CModelFiles files = write_c_model(program, "model", model_input_values(program, first(inputs)));
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

// A HAR model and the precision it is quantized to: full-int (int8 in and out) or dynamic (f32 in
// and out, s8 weights).
struct Case {
  const char* model;
  const char* precision;
};

Graph quantized(const Case& c) {
  return std::string(c.precision) == "dynamic" ? quant::quantize_dynamic(build_model(c.model))
                                               : full_integer(c.model);
}

// 100 windows as the model takes them: its integers, or f32 values.
Tensor model_windows(const IntegerProgram& program, int64_t n) {
  const Tensor floats = imu_windows(n, 11);
  const ProgramTensor& in = program.tensors[program.input];
  if (in.storage == Storage::f32) return floats;
  Tensor inputs(storage_dtype(in.storage), {n, 9, 128});
  for (int64_t i = 0; i < n; ++i) {
    Tensor one(DType::f32, {1, 9, 128});
    std::copy_n(floats.values<float>().begin() + i * 9 * 128, 9 * 128, one.values<float>().begin());
    const Tensor q = model_input_values(program, one);
    std::memcpy(inputs.raw() + i * q.nbytes(), q.raw(), q.nbytes());
  }
  return inputs;
}

// The export's host check (c_validation.h) against onednn and ref. Integer steps are the onednn
// engine's own arithmetic; f32 steps (the mean over time, the LSTM, the softmax, a dynamic model's
// convolutions) may round an ulp differently (oneDNN has its own exp and tanh, and sums in another
// order), and a tie before a QuantizeLinear may then go the other way: one LSB, rarely. Without VNNI
// the engine stores 7-bit weights (int8_anchor.h), so its integer sums are not the C's: there only
// ref is held to the bound.
void expect_the_engines_outputs(const fs::path& dir, const Graph& model, const IntegerProgram& program,
                                const Tensor& inputs) {
  const bool int8_output = program.tensors[program.output].storage != Storage::f32;
  const CValidation onednn = validate_on_host(dir, model, program, inputs, {}, OnednnBackend());
  const CValidation ref = validate_on_host(dir, model, program, inputs, {}, RefBackend());
  EXPECT_EQ(onednn.values, inputs.dim(0) * 6);
  for (const CValidation* v : {&ref, &onednn}) {
    // Without VNNI the engine's integer products (int8 layers, a dynamic model's MatMulInteger) use
    // 7-bit weights: its outputs are not the C's there, ref alone is held to the bound.
    if (v == &onednn && !onednn::has_exact_int8_dot_product()) continue;
    if (int8_output) {
      EXPECT_LE(v->worst_lsb, 1) << v->engine;
      EXPECT_GE(v->exact, v->values * 97 / 100) << v->engine << ": " << v->exact << " of " << v->values;
    } else {
      EXPECT_LE(v->max_abs, 1e-4) << v->engine;  // probabilities
    }
  }
  ::testing::Test::RecordProperty("exact_vs_onednn", std::to_string(onednn.exact) + "/" + std::to_string(onednn.values));
  ::testing::Test::RecordProperty("exact_vs_ref", std::to_string(ref.exact) + "/" + std::to_string(ref.values));
}

class ExportHarModel : public ExportC, public ::testing::WithParamInterface<Case> {};

TEST_P(ExportHarModel, TheCGivesTheEnginesOutputsOnAHundredWindows) {
  const Graph model = quantized(GetParam());
  const IntegerProgram program = lower_to_integer_program(model);
  const Tensor inputs = model_windows(program, 100);
  run_c(program, inputs, "host-batch");  // builds the folder the checks run in
  expect_the_engines_outputs(dir_, model, program, inputs);
}

std::string test_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::string(info.param.model) + "_" + info.param.precision;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

const Case kCases[] = {{"har-cnn", "full-int"},    {"har-lstm", "full-int"}, {"har-cnn-lstm", "full-int"},
                       {"har-cnn", "dynamic"},     {"har-lstm", "dynamic"},  {"har-cnn-lstm", "dynamic"}};

INSTANTIATE_TEST_SUITE_P(Har, ExportHarModel, ::testing::ValuesIn(kCases), test_name);

// The same C on the emulated Cortex-M4F (nano33ble on QEMU's mps2-an386): an int8 output is the
// host's byte for byte; an f32 one within an ulp or two (newlib's expf and tanhf are not glibc's).
// Compiled where the cross tools are (make deps-mcu); `make mcu-test` runs it.
#ifdef STRIDE_HAVE_ARM_EMULATOR
class FirmwareEmulatedExport : public ExportHarModel {};

TEST_P(FirmwareEmulatedExport, TheBoardGivesTheHostsOutputsOnAHundredWindows) {
  const Graph model = quantized(GetParam());
  const IntegerProgram program = lower_to_integer_program(model);
  const Tensor inputs = model_windows(program, 100);
  const std::vector<int8_t> host = run_c(program, inputs, "host-batch");
  const std::vector<int8_t> board = run_c(program, inputs, "batch");
  ASSERT_EQ(board.size(), host.size());
  if (program.tensors[program.output].storage != Storage::f32) {
    EXPECT_EQ(board, host);
  } else {
    double worst = 0;
    for (size_t i = 0; i + 4 <= board.size(); i += 4) {
      float a, b;
      std::memcpy(&a, board.data() + i, 4);
      std::memcpy(&b, host.data() + i, 4);
      worst = std::max(worst, static_cast<double>(std::fabs(a - b)));
    }
    EXPECT_LE(worst, 1e-5);
  }
}

INSTANTIATE_TEST_SUITE_P(Har, FirmwareEmulatedExport, ::testing::ValuesIn(kCases), test_name);
#endif

// A model exported for a board it does not fit (what export-c --force writes): the board's linker
// script refuses it. har-lstm's 33 KiB arena against the Cortex-M3's 20 KiB of RAM.
#ifdef STRIDE_HAVE_ARM_GCC
TEST_F(ExportC, FirmwareEmulatedLinkRefusesAModelLargerThanTheBoard) {
  const IntegerProgram program = lower_to_integer_program(full_integer("har-lstm"));
  const Tensor input(DType::s8, program.tensors[program.input].shape);
  write_c_export(dir_, write_c_model(program, "har_lstm", input), board_named("stm32f103"));
  const Outcome link = run("make -s -C '" + dir_.string() + "' elf");
  EXPECT_NE(link.exit_code, 0) << link.output;
  EXPECT_NE(link.output.find("region `RAM' overflowed"), std::string::npos) << link.output;
  EXPECT_FALSE(fs::exists(dir_ / "model.elf"));
}
#endif

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
          EXPECT_NE(std::string(e.what()).find("quantize the model first"), std::string::npos) << e.what();
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
