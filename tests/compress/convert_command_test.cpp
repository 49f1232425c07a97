// `stride convert --3d-to-2d` as a user runs it: what it prints, what it writes, what it refuses.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "support/command_support.h"
#include "compress/conv3d_graphs.h"
#include "stride/core/atomic_file.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "tensor_compare.h"

namespace stride::testing {
namespace {

namespace fs = std::filesystem;

class Conv3dTo2dCommand : public CommandTest {};

// The "rel. error" column of the printed row of `node`: node, kernel, rank/full, error, ...
double printed_error(const std::string& output, const std::string& node) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream cells(line);
    std::string first, kernel, rank, error;
    if (cells >> first >> kernel >> rank >> error && first == node) return std::stod(error);
  }
  throw std::runtime_error("no row for " + node + " in:\n" + output);
}

TEST_F(Conv3dTo2dCommand, SvdPrintsTheErrorItsWeightsHave) {
  const Graph g = small_cnn3d();
  const std::string in = save(g, "cnn3d.onnx"), out = path("cnn3d-2d.onnx");
  const Outcome o = run_stride({"convert", in, "--3d-to-2d", "--init", "svd", "--rank", "3", "-o", out});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const Graph converted = load_onnx(out);
  for (const std::string conv : {"conv1/Conv", "conv4/Conv"}) {
    SCOPED_TRACE(conv);
    EXPECT_EQ(converted.initializers.at(node_named(converted, conv + "/spatial").inputs[1]).dim(0), 3);
    // The error measured on the saved (f32) weights against the original kernel.
    const double measured = measured_error(g, converted, conv);
    EXPECT_GT(measured, 0.1);
    EXPECT_NEAR(printed_error(o.output, conv), measured, 1e-3 * measured);  // printed with 4 digits
  }
  EXPECT_NE(o.output.find("model at batch 1:"), std::string::npos) << o.output;
}

TEST_F(Conv3dTo2dCommand, FullRankSvdFileRunsLikeTheOriginal) {
  const Graph g = one_conv3d_graph();
  const std::string in = save(g, "one.onnx"), out = path("one-2d.onnx"), report = path("report.json");
  const Outcome o = run_stride({"convert", in, "--3d-to-2d", "--init", "svd", "-o", out, "--json", report});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_EQ(printed_error(o.output, "conv"), 0.0);
  EXPECT_NE(read_file(report).find("\"full_rank\": 12"), std::string::npos);
  const TensorMap inputs = inputs_for(g, 2);
  EXPECT_TRUE(close_to(run_on("onednn", load_onnx(out), inputs).at("y"), run_on("ref", g, inputs).at("y"), 1e-4));
}

TEST_F(Conv3dTo2dCommand, RefusesTheInputAsOutput) {
  const std::string in = save(one_conv3d_graph(), "one.onnx");
  const std::string before = read_file(in);
  for (const std::string& out : {in, path("./one.onnx")}) {
    const Outcome o = run_stride({"convert", in, "--3d-to-2d", "-o", out});
    EXPECT_NE(o.exit_code, 0);
    EXPECT_NE(o.output.find("is the input model"), std::string::npos) << o.output;
    EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  }
  EXPECT_EQ(read_file(in), before);
  EXPECT_EQ(files_in_dir(), 1u);
}

TEST_F(Conv3dTo2dCommand, WritesNothingOnAnError) {
  const std::string no_conv3d = save(build_model("cnn2d", {.classes = 10, .width_mult = 0.125}), "cnn2d.onnx");
  const std::string grouped = save(one_conv3d_graph({.weight = {3, 1, 3, 3, 2}, .group = 3}), "grouped.onnx");
  const std::string out = path("out.onnx");
  const Outcome none = run_stride({"convert", no_conv3d, "--3d-to-2d", "-o", out});
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.output.find("nothing to convert"), std::string::npos) << none.output;
  const Outcome group = run_stride({"convert", grouped, "--3d-to-2d", "--init", "svd", "-o", out});
  EXPECT_NE(group.exit_code, 0);
  EXPECT_NE(group.output.find("node 'conv'"), std::string::npos) << group.output;
  const Outcome fresh_rank = run_stride({"convert", grouped, "--3d-to-2d", "--rank", "2", "-o", out});
  EXPECT_NE(fresh_rank.exit_code, 0);
  const Outcome no_conversion = run_stride({"convert", grouped, "-o", out});
  EXPECT_NE(no_conversion.output.find("--3d-to-2d"), std::string::npos) << no_conversion.output;
  EXPECT_EQ(files_in_dir(), 2u);  // the two inputs; no output, no temporary
}

}  // namespace
}  // namespace stride::testing
