// The firmware harness around a tiny hand-written model (out[i] = in[i] * 2, saturated to int8):
// built and run on the host everywhere, cross-built and run under QEMU where the cross tools are.
// The cross-built tests are the suites named FirmwareEmulated* (make mcu-test runs just them).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "mcu/mcu_test_support.h"
#include "stride/core/atomic_file.h"
#include "stride/core/usage_error.h"
#include "stride/mcu/boards.h"
#include "stride/mcu/firmware_files.h"

namespace stride::mcu {
namespace {

namespace fs = std::filesystem;

// The line of `output` that starts with `prefix`, or "" when none does.
std::string line_starting(const std::string& output, const std::string& prefix) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

// The test input and what the model makes of it (-6 as an int8; 250 when the bytes are uint8 values).
constexpr const char* kInput = "1, -3, 100, -100";
constexpr const char* kExpected = "OUTPUT 4 2 -6 127 -128";
constexpr const char* kExpectedUnsigned = "OUTPUT 4 2 250 127 128";

// Variations on the tiny model.
struct ModelOptions {
  bool unsigned_output = false;  // STRIDE_MODEL_OUTPUT_UNSIGNED
  size_t big_bytes = 0;          // a static array of this size, written to (volatile: nothing drops it)
  size_t local_bytes = 0;        // a local array of this size on the stack, written and read back
  int status = 0;                // what stride_model_run returns
};

// The model's files as the exporter writes them.
void write_model(const fs::path& dir, const ModelOptions& options = {}) {
  const std::string big =
      options.big_bytes == 0 ? "" : "static volatile int8_t big[" + std::to_string(options.big_bytes) + "];\n";
  std::string use = options.big_bytes == 0 ? "" : "  big[" + std::to_string(options.big_bytes - 1) + "] = out[0];\n";
  if (options.local_bytes > 0) {
    const std::string n = std::to_string(options.local_bytes);
    use += "  volatile int8_t local[" + n + "];\n  for (int i = 0; i < " + n +
           "; ++i) local[i] = out[i % 4];\n"
           "  for (int i = 0; i < 4; ++i) out[i] = local[" +
           n + " - 4 + i];\n";
  }
  write_file_atomically(dir / "stride_model.h",
                        "#ifndef STRIDE_MODEL_H\n#define STRIDE_MODEL_H\n#include <stdint.h>\n"
                        "#define STRIDE_MODEL_INPUT_COUNT 4\n#define STRIDE_MODEL_OUTPUT_COUNT 4\n"
                        "#define STRIDE_MODEL_ARENA_BYTES 3\n#define STRIDE_MODEL_OUTPUT_UNSIGNED " +
                            std::string(options.unsigned_output ? "1" : "0") +
                            "\nint stride_model_run(const int8_t* in, int8_t* out);\n#endif\n");
  write_file_atomically(dir / "stride_model.c",
                        "#include <string.h>\n#include \"stride_model.h\"\n"
                        "static int8_t arena[STRIDE_MODEL_ARENA_BYTES];\n" +
                            big +
                            "int stride_model_run(const int8_t* in, int8_t* out) {\n"
                            "  for (int i = 0; i < STRIDE_MODEL_OUTPUT_COUNT; ++i) {\n"
                            "    int v = in[i] * 2;\n"
                            "    arena[i % STRIDE_MODEL_ARENA_BYTES] = (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);\n"
                            "    out[i] = arena[i % STRIDE_MODEL_ARENA_BYTES];\n"
                            "  }\n" +
                            use + "  return " + std::to_string(options.status) + ";\n}\n");
  write_file_atomically(
      dir / "stride_test_input.h",
      std::string("static const int8_t stride_test_input[STRIDE_MODEL_INPUT_COUNT] = {") + kInput + "};\n");
}

class FirmwareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "_" + info->name();
    for (char& c : name)
      if (c == '/') c = '_';
    dir_ = fs::temp_directory_path() / ("stride_mcu_" + std::to_string(getpid()) + "_" + name);
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string make(const std::string& target) const {
    return "make --no-print-directory -C '" + dir_.string() + "' " + target;
  }
  fs::path dir_;
};

TEST_F(FirmwareTest, HostBuildPrintsTheModelsOutput) {
  write_firmware(board_named("nano33ble"), dir_);
  write_model(dir_);
  const Outcome o = run(make("host"));
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(line_starting(o.output, "OUTPUT "), kExpected) << o.output;
  EXPECT_EQ(line_starting(o.output, "STACK "), "STACK n/a") << o.output;
}

TEST_F(FirmwareTest, HostBuildPrintsUnsignedOutputsAsUint8) {
  write_firmware(board_named("stm32f103"), dir_);
  write_model(dir_, {.unsigned_output = true});
  const Outcome o = run(make("host"));
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(line_starting(o.output, "OUTPUT "), kExpectedUnsigned) << o.output;
}

TEST_F(FirmwareTest, HostRunFailsWhenTheModelFails) {
  write_firmware(board_named("nano33ble"), dir_);
  write_model(dir_, {.status = 7});
  const Outcome o = run(make("host"));
  EXPECT_NE(o.exit_code, 0) << o.output;
  EXPECT_EQ(line_starting(o.output, "OUTPUT "), "") << o.output;
  EXPECT_NE(o.output.find("stride_model_run returned 7"), std::string::npos) << o.output;
}

TEST_F(FirmwareTest, LinkerScriptCarriesTheBoardsMemory) {
  write_firmware(board_named("nano33ble"), dir_);
  const std::string ld = read_file(dir_ / "board.ld");
  EXPECT_NE(ld.find("FLASH (rx)  : ORIGIN = 0x00000000, LENGTH = 1048576"), std::string::npos) << ld;
  EXPECT_NE(ld.find("RAM   (rwx) : ORIGIN = 0x20000000, LENGTH = 262144"), std::string::npos) << ld;
  EXPECT_NE(ld.find("stride_stack_size = " + std::to_string(kStackReserveBytes) + ";"), std::string::npos) << ld;
  const std::string makefile = read_file(dir_ / "Makefile");
  EXPECT_NE(makefile.find("CPU = cortex-m4\n"), std::string::npos) << makefile;
  EXPECT_NE(makefile.find("FLOAT_FLAGS = -mfloat-abi=hard -mfpu=fpv4-sp-d16\n"), std::string::npos) << makefile;
  EXPECT_NE(makefile.find("QEMU_MACHINE = mps2-an386\n"), std::string::npos) << makefile;
  EXPECT_TRUE(fs::exists(dir_ / "startup.c"));
  EXPECT_TRUE(fs::exists(dir_ / "main.c"));
}

TEST_F(FirmwareTest, Esp32HasNoEmulatedRunButTheHostBuildWorks) {
  const Board& esp32 = board_named("esp32");
  write_firmware(esp32, dir_);
  write_model(dir_);
  EXPECT_FALSE(fs::exists(dir_ / "startup.c"));  // Cortex-M only
  EXPECT_FALSE(fs::exists(dir_ / "board.ld"));
  const Outcome run_outcome = run(make("run"));
  EXPECT_NE(run_outcome.exit_code, 0) << run_outcome.output;
  EXPECT_NE(run_outcome.output.find("esp32: cannot run under QEMU here: Debian has no Xtensa"), std::string::npos)
      << run_outcome.output;
  const Outcome elf = run(make("elf"));
  EXPECT_NE(elf.exit_code, 0) << elf.output;
  EXPECT_NE(elf.output.find("esp32: no cross build here"), std::string::npos) << elf.output;
  const Outcome host = run(make("host"));
  ASSERT_EQ(host.exit_code, 0) << host.output;
  EXPECT_EQ(line_starting(host.output, "OUTPUT "), kExpected) << host.output;
}

TEST_F(FirmwareTest, MissingFolderIsCreatedAndFilesAreReplacedWhole) {
  const fs::path nested = dir_ / "a" / "b";
  write_firmware(board_named("stm32f746"), nested);
  write_firmware(board_named("stm32f103"), nested);  // again, for another board: every file replaced
  EXPECT_NE(read_file(nested / "board.ld").find("LENGTH = 20480"), std::string::npos);
  EXPECT_NE(read_file(nested / "Makefile").find("CPU = cortex-m3\n"), std::string::npos);
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(nested)) ++files;
  EXPECT_EQ(files, 4u);  // no temporary left behind
}

TEST(Boards, FiguresArePositiveAndNamesUnique) {
  std::set<std::string> names;
  for (const Board& board : boards()) {
    EXPECT_TRUE(names.insert(board.name).second) << board.name;
    EXPECT_GT(board.flash_bytes, 0u) << board.name;
    EXPECT_GT(board.ram_bytes, 0u) << board.name;
    EXPECT_FALSE(board.description.empty()) << board.name;
    EXPECT_FALSE(board.core.empty()) << board.name;
    // A board without an FPU takes the soft-float ABI; one with a QEMU machine needs no excuse.
    if (!board.fpu) {
      EXPECT_EQ(board.float_flags, "-mfloat-abi=soft") << board.name;
    }
    EXPECT_NE(board.qemu_machine.empty(), board.why_no_qemu.empty()) << board.name;
    // The board's memory within the emulated machine's at the linker script's addresses.
    if (board.qemu_machine.rfind("mps2-", 0) == 0) {
      EXPECT_LE(board.flash_bytes, 4u << 20) << board.name;
      EXPECT_LE(board.ram_bytes, 4u << 20) << board.name;
    } else if (board.qemu_machine == "mps3-an547") {
      EXPECT_LE(board.flash_bytes, 512u << 10) << board.name;
      EXPECT_LE(board.ram_bytes, 512u << 10) << board.name;
    }
  }
  for (const char* name : {"esp32", "nano33ble", "stm32f746", "stm32f103", "corstone300"})
    EXPECT_EQ(names.count(name), 1u) << name;
  EXPECT_EQ(board_named("nano33ble").ram_bytes, 256u * 1024);
  EXPECT_EQ(board_named("nano33ble").flash_bytes, 1024u * 1024);
  EXPECT_TRUE(board_named("esp32").qemu_machine.empty());
  EXPECT_NE(board_named("esp32").why_no_qemu.find("Xtensa"), std::string::npos);
}

TEST(Boards, UnknownNameListsTheKnownOnes) {
  try {
    board_named("nope");
    FAIL() << "no error for an unknown board";
  } catch (const UsageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'nope'"), std::string::npos) << message;
    for (const Board& board : boards()) EXPECT_NE(message.find(board.name), std::string::npos) << message;
  }
}

TEST(Boards, FitProblemNamesBothFigures) {
  const Board& nano = board_named("nano33ble");
  EXPECT_EQ(fit_problem(nano, 1024 * 1024, 256 * 1024), "");
  EXPECT_EQ(fit_problem(nano, 0, 300 * 1024), "needs 300.0 KiB of RAM, nano33ble has 256.0 KiB");
  EXPECT_EQ(fit_problem(nano, 1024 * 1024 + 512, 0), "needs 1024.5 KiB of flash, nano33ble has 1024.0 KiB");
  EXPECT_EQ(fit_problem(board_named("stm32f103"), 200 * 1024, 21 * 1024),
            "needs 200.0 KiB of flash, stm32f103 has 128.0 KiB; needs 21.0 KiB of RAM, stm32f103 has 20.0 KiB");
}

// Cross-built and run under QEMU: one board per emulated core. Compiled where the cross tools are
// (make deps-mcu); `make mcu-test` runs these.
#ifdef STRIDE_HAVE_ARM_EMULATOR
class FirmwareEmulated : public FirmwareTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(FirmwareEmulated, RunPrintsTheHostsOutputAndTheStackUsed) {
  const Board& board = board_named(GetParam());
  write_firmware(board, dir_);
  write_model(dir_);
  const Outcome o = run(make("run TIMEOUT=120"));
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(line_starting(o.output, "OUTPUT "), kExpected) << o.output;
  // The memory the linker reports: the board's, not the emulated machine's.
  EXPECT_NE(line_starting(o.output, "             RAM:").find(std::to_string(board.ram_bytes / 1024) + " KB"),
            std::string::npos)
      << o.output;
  const std::string stack = line_starting(o.output, "STACK ");
  ASSERT_FALSE(stack.empty()) << o.output;
  const long bytes = std::strtol(stack.c_str() + 6, nullptr, 10);
  EXPECT_GT(bytes, 0) << stack;
  EXPECT_LT(bytes, static_cast<long>(kStackReserveBytes)) << stack;
}

TEST_P(FirmwareEmulated, RunFailsWhenTheModelFails) {
  write_firmware(board_named(GetParam()), dir_);
  write_model(dir_, {.status = 7});
  const Outcome o = run(make("run TIMEOUT=120"));
  EXPECT_NE(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("stride_model_run returned 7"), std::string::npos) << o.output;
}

// The high-water mark against a model whose stack is known: a 3000-byte local array, and the frames
// of main and the model above it (a few dozen bytes on every core).
TEST_P(FirmwareEmulated, StackCountsTheModelsLocalArray) {
  write_firmware(board_named(GetParam()), dir_);
  write_model(dir_, {.local_bytes = 3000});
  const Outcome o = run(make("run TIMEOUT=120"));
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(line_starting(o.output, "OUTPUT "), kExpected) << o.output;
  const std::string stack = line_starting(o.output, "STACK ");
  const long bytes = std::strtol(stack.c_str() + 6, nullptr, 10);
  EXPECT_GE(bytes, 3000) << stack;
  EXPECT_LT(bytes, 3000 + 256) << stack;
}

// More stack than the reserve: the run fails (a fault, or the reserve found used up), never prints a
// figure below the reserve as if all were well.
TEST_P(FirmwareEmulated, StackOverflowFailsTheRun) {
  write_firmware(board_named(GetParam()), dir_);
  // 4 KiB of static data under the stack's reserve, for the overflow to land in rather than below RAM.
  write_model(dir_, {.big_bytes = 4096, .local_bytes = kStackReserveBytes + 1024});
  const Outcome o = run(make("run TIMEOUT=120"));
  EXPECT_NE(o.exit_code, 0) << o.output;
  EXPECT_TRUE(o.output.find("FAULT: the firmware took an exception") != std::string::npos ||
              o.output.find("FAILED: the run used the whole stack reserve") != std::string::npos)
      << o.output;
  EXPECT_EQ(line_starting(o.output, "STACK "), "") << o.output;
}

INSTANTIATE_TEST_SUITE_P(Boards, FirmwareEmulated,
                         ::testing::Values("nano33ble", "stm32f746", "stm32f103", "corstone300"));
#endif

// A model larger than the board's RAM, though not than the emulated machine's, fails to link.
#ifdef STRIDE_HAVE_ARM_GCC
class FirmwareEmulatedLink : public FirmwareTest {};

TEST_F(FirmwareEmulatedLink, ArenaLargerThanTheBoardsRamFails) {
  write_firmware(board_named("nano33ble"), dir_);
  write_model(dir_, {.big_bytes = 300 * 1024});  // 256 KiB of RAM on the board, 4 MiB in mps2-an386
  const Outcome o = run(make("elf"));
  EXPECT_NE(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("region `RAM' overflowed"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(dir_ / "model.elf"));
  // and `make run` does not run a half-linked file
  const Outcome again = run(make("run TIMEOUT=120"));
  EXPECT_NE(again.exit_code, 0) << again.output;
  EXPECT_EQ(line_starting(again.output, "OUTPUT "), "") << again.output;
}

TEST_F(FirmwareEmulatedLink, StackReserveCountsInTheBoardsRam) {
  for (const char* name : {"nano33ble", "stm32f746", "stm32f103", "corstone300"}) {
    const Board& board = board_named(name);
    write_firmware(board, dir_);
    // Fits the RAM alone, not with the stack's reserve beside it.
    write_model(dir_, {.big_bytes = board.ram_bytes - kStackReserveBytes});
    const Outcome o = run(make("elf"));
    EXPECT_NE(o.exit_code, 0) << name << "\n" << o.output;
    EXPECT_NE(o.output.find("region `RAM' overflowed"), std::string::npos) << name << "\n" << o.output;
    // What the reserves leave, less 4 KiB for the harness's own static data (the C library's), links.
    write_model(dir_, {.big_bytes = board.ram_bytes - kStackReserveBytes - kHeapMinimumBytes - 4096});
    const Outcome fits = run(make("elf"));
    EXPECT_EQ(fits.exit_code, 0) << name << "\n" << fits.output;
    run(make("clean"));
  }
}
#endif

}  // namespace
}  // namespace stride::mcu
