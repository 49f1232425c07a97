// Outputs never overwrite inputs: every command that writes files checks its output paths before it
// starts, and refuses in one line naming the option and the path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "stride/core/atomic_file.h"
#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

namespace fs = std::filesystem;

class OutputPaths : public CommandTest {
 protected:
  std::string model() const { return save(build_model("cnn2d", {.classes = 10, .width_mult = 0.125}), "v.onnx"); }
  // A folder shaped like a CASIA-B dataset, with one frame: nothing may be written inside it.
  std::string dataset() const {
    const fs::path frame = dir_ / "data" / "001" / "nm-01" / "090" / "001-nm-01-090-001.png";
    fs::create_directories(frame.parent_path());
    write_file_atomically(frame, "a frame");
    return (dir_ / "data").string();
  }
  std::string frame() const { return (dir_ / "data" / "001" / "nm-01" / "090" / "001-nm-01-090-001.png").string(); }
  void expect_unchanged(const std::string& file, const std::string& bytes) const { EXPECT_EQ(read_file(file), bytes); }
};

TEST_F(OutputPaths, BenchRefusesToWriteItsReportOverTheModel) {
  const std::string m = model(), before = read_file(m);
  expect_refused({"bench", m, "--json", m, "--runs", "1", "--warmup", "0", "--batch", "1"},
                 "--json " + m + " is the input model", kUsage);
  expect_refused({"bench", m, "--markdown", path("./v.onnx"), "--runs", "1", "--batch", "1"}, "is the input model",
                 kUsage);
  fs::create_symlink(m, path("link.onnx"));
  expect_refused({"bench", path("link.onnx"), "--json", m, "--runs", "1", "--batch", "1"}, "is the input model",
                 kUsage);
  expect_refused({"bench", m, "--json", path("r.json"), "--markdown", path("./r.json"), "--runs", "1", "--batch", "1"},
                 "are the same file", kUsage);
  expect_unchanged(m, before);
}

TEST_F(OutputPaths, EvalRefusesTheModelAndTheDatasetBeforeLoadingEither) {
  const std::string m = model(), before = read_file(m), data = dataset();
  expect_refused({"eval", m, "--data", data, "--json", m}, "--json " + m + " is the input model", kUsage);
  expect_refused({"eval", m, "--data", data, "--json", frame()}, "inside the input dataset", kUsage);
  expect_refused({"eval", m, "--data", data, "--json", data + "/report.json"}, "inside the input dataset", kUsage);
  expect_unchanged(m, before);
  expect_unchanged(frame(), "a frame");
}

TEST_F(OutputPaths, PreviewRefusesToDrawOverAFrameOfTheDataset) {
  const std::string data = dataset();
  expect_refused({"data", "preview", data, "-o", frame()}, "-o " + frame() + " lies inside the input dataset", kUsage);
  expect_unchanged(frame(), "a frame");
}

TEST_F(OutputPaths, OutputsInAMissingFolderAreRefusedBeforeAnyWork) {
  const std::string m = model();
  expect_refused({"zoo", "build", "cnn2d", "-o", path("missing/cnn2d.onnx")}, "the folder", kUsage);
  expect_refused({"zoo", "build", "cnn2d", "-o", path("missing/cnn2d.onnx")}, "does not exist", kUsage);
  expect_refused({"bench", m, "--json", path("missing/r.json"), "--runs", "1"}, "--json " + path("missing/r.json"),
                 kUsage);
  expect_refused({"convert", m, "--3d-to-2d", "-o", path("missing/c.onnx")}, "does not exist", kUsage);
  expect_refused({"prune", m, "-o", path("missing/p.onnx")}, "does not exist", kUsage);
  expect_refused({"data", "preview", dataset(), "-o", path("missing/p.png")}, "does not exist", kUsage);
  expect_refused({"data", "synth", "-o", m}, "is a file", kUsage);
  expect_refused({"zoo", "build", "cnn2d", "-o", dir_.string()}, "is a folder", kUsage);
}

TEST_F(OutputPaths, UnwritableFolderIsRefused) {
  fs::create_directories(dir_ / "locked");
  fs::permissions(dir_ / "locked", fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                       fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  // Root may write anywhere: it runs the command as the unprivileged user 'nobody' (65534) instead.
  const std::string as = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  const Outcome o = run_stride({"zoo", "build", "cnn2d", "-o", path("locked/c.onnx")}, as);
  EXPECT_EQ(o.exit_code, 2) << o.output;  // -o names a place the command cannot write
  EXPECT_NE(o.output.find("is not writable"), std::string::npos) << o.output;
  EXPECT_TRUE(fs::is_empty(dir_ / "locked"));
  fs::permissions(dir_ / "locked", fs::perms::owner_all);
}

TEST_F(OutputPaths, RunRefusesAnOutputFileThatIsOneOfItsInputs) {
  // cnn2d reads 'flow' and writes 'feature': the output would go to feature.npy, here the input.
  const std::string m = model();
  const Outcome random = run_stride({"run", m, "--random", "-o", path("out")});
  ASSERT_EQ(random.exit_code, 0) << random.output;
  const std::string input = path("out/flow.npy"), output = path("out/feature.npy");
  ASSERT_TRUE(fs::exists(input)) << random.output;
  fs::rename(input, output);  // now the input is named as the output will be
  const std::string before = read_file(output);
  expect_refused({"run", m, "--input", "flow=" + output, "-o", path("out")}, "is the input file", kUsage);
  expect_unchanged(output, before);
  expect_refused({"run", m, "--random", "-o", m}, "is a file", kUsage);
}

TEST_F(OutputPaths, SensitivityConvertAndPruneRefuseTheirInputs) {
  const std::string m = model(), before = read_file(m), data = dataset();
  expect_refused({"sensitivity", m, "--data", data, "--svg", path("data/plot.svg")}, "inside the input dataset",
                 kUsage);
  expect_refused({"sensitivity", m, "--data", data, "--json", path("./v.onnx")}, "is the input model", kUsage);
  expect_refused({"convert", m, "--3d-to-2d", "-o", path("x.onnx"), "--json", m}, "--json", kUsage);
  expect_refused({"prune", m, "-o", path("p.onnx"), "--json", path("p.onnx")}, "are the same file", kUsage);
  expect_refused({"prune", m, "--data", data, "-o", frame()}, "inside the input dataset", kUsage);
  expect_unchanged(m, before);
}

#ifdef STRIDE_WITH_TORCH
TEST_F(OutputPaths, TrainRefusesItsInputsAndAMissingFolderBeforeTraining) {
  const std::string m = model(), before = read_file(m), data = dataset();
  expect_refused({"train", m, "--data", data, "-o", m}, "-o " + m + " is the input model", kUsage);
  expect_refused({"train", m, "--data", data, "-o", path("t.onnx"), "--checkpoint", m}, "is the input model", kUsage);
  expect_refused({"train", m, "--data", data, "-o", path("data/t.onnx")}, "inside the input dataset", kUsage);
  expect_refused({"train", m, "--data", data, "-o", path("missing/t.onnx")}, "does not exist", kUsage);
  expect_unchanged(m, before);
}
#endif

}  // namespace
}  // namespace stride::testing
