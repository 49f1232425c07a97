// `stride quantize` as a user runs it: FP16 and INT8 files that load and carry their record, and
// bad input refused in one line with no file written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "stride/io/npy.h"
#include "stride/onnx/onnx_import.h"
#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

using QuantizeCommand = CommandTest;

Graph small_cnn2d() {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = 4;
  return build_model("cnn2d", o);
}

// Deterministic, varied values (zeros would calibrate every range to nothing).
Tensor wave(Shape shape, float phase) {
  Tensor t(DType::f32, std::move(shape));
  auto v = t.values<float>();
  for (size_t i = 0; i < v.size(); ++i) v[i] = std::sin(0.37f * static_cast<float>(i) + phase);
  return t;
}

int count_op(const Graph& g, const std::string& op) {
  return static_cast<int>(
      std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node& n) { return n.op_type == op; }));
}

TEST_F(QuantizeCommand, Fp16HalvesTheFileAndStoresWeightsBehindCasts) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  const Outcome o = run_stride({"quantize", model, "--precision", "fp16", "-o", path("h.onnx")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("compression: "), std::string::npos) << o.output;
  const double ratio = double(std::filesystem::file_size(path("h.onnx"))) / double(std::filesystem::file_size(model));
  EXPECT_GT(ratio, 0.45);
  EXPECT_LT(ratio, 0.55);
  const Graph h = load_onnx(path("h.onnx"));
  EXPECT_GT(count_op(h, "Cast"), 0);
  EXPECT_EQ(nlohmann::json::parse(h.metadata.at("stride.quantization"))["precision"], "fp16");
}

TEST_F(QuantizeCommand, Int8FromNpyInputsWritesQdqWithItsCalibrationRecord) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  std::filesystem::create_directory(path("calib"));
  // With and without the batch dimension: both are one model input.
  write_npy(path("calib/a.npy"), wave({1, 50, 60, 60}, 0.0f));
  write_npy(path("calib/b.npy"), wave({50, 60, 60}, 1.0f));
  write_npy(path("calib/c.npy"), wave({50, 60, 60}, 2.0f));
  // --calib, the former spelling of --data, as scripts wrote it.
  const Outcome o = run_stride({"quantize", model, "--precision", "int8", "--calib", path("calib"), "--method",
                                "percentile", "-o", path("q.onnx")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("calibration:"), std::string::npos) << o.output;
  const Graph q = load_onnx(path("q.onnx"));
  EXPECT_EQ(count_op(q, "Conv"), 4);
  EXPECT_GT(count_op(q, "QuantizeLinear"), 0);
  const auto record = nlohmann::json::parse(q.metadata.at("stride.quantization"));
  EXPECT_EQ(record["method"], "percentile");
  EXPECT_EQ(record["calibration_samples"], 3);
  // The int8 file is about a quarter of the float one.
  const double ratio = double(std::filesystem::file_size(path("q.onnx"))) / double(std::filesystem::file_size(model));
  EXPECT_LT(ratio, 0.3);
}

TEST_F(QuantizeCommand, DynamicNeedsNoCalibrationAndStoresEveryWeightAsS8) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  const Outcome o = run_stride({"quantize", model, "--precision", "dynamic", "-o", path("d.onnx")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const Graph d = load_onnx(path("d.onnx"));
  EXPECT_EQ(count_op(d, "MatMulInteger"), count_op(small_cnn2d(), "Gemm"));
  EXPECT_EQ(count_op(d, "DynamicQuantizeLinear"), count_op(small_cnn2d(), "Gemm"));
  EXPECT_EQ(nlohmann::json::parse(d.metadata.at("stride.quantization"))["precision"], "dynamic");
  const double ratio = double(std::filesystem::file_size(path("d.onnx"))) / double(std::filesystem::file_size(model));
  EXPECT_LT(ratio, 0.3);
  // It runs on the engine as written.
  const Outcome run = run_stride({"run", path("d.onnx"), "--random", "--backend", "onednn"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(QuantizeCommand, FullIntTakesAndGivesIntegers) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  std::filesystem::create_directory(path("calib"));
  write_npy(path("calib/a.npy"), wave({1, 50, 60, 60}, 0.0f));
  write_npy(path("calib/b.npy"), wave({1, 50, 60, 60}, 1.0f));
  const Outcome o = run_stride({"quantize", model, "--precision", "full-int", "--data", path("calib"), "--method",
                                "minmax", "-o", path("f.onnx")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  const Graph f = load_onnx(path("f.onnx"));
  EXPECT_EQ(f.inputs.at(0).dtype, DType::s8);  // the flow takes negative values
  for (const ValueInfo& out : f.outputs) EXPECT_TRUE(out.dtype == DType::s8 || out.dtype == DType::u8) << out.name;
  const auto record = nlohmann::json::parse(f.metadata.at("stride.quantization"));
  EXPECT_EQ(record["precision"], "full-int");
  EXPECT_GT(record["interface"]["inputs"]["flow"]["scale"].get<double>(), 0.0);
  std::filesystem::create_directory(path("out"));
  const Outcome run = run_stride({"run", path("f.onnx"), "--random", "--backend", "onednn", "-o", path("out")});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(read_npy(path("out/probabilities.npy")).dtype(), DType::u8);
}

TEST_F(QuantizeCommand, BadInputIsRefusedInOneLineWithoutAnOutputFile) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  std::filesystem::create_directory(path("empty"));
  expect_refused({"quantize", model, "--precision", "int8", "--data", path("empty"), "-o", path("q.onnx")}, "is empty");
  std::filesystem::create_directory(path("wrong"));
  write_npy(path("wrong/x.npy"), wave({1, 50, 30, 30}, 0.0f));
  expect_refused({"quantize", model, "--precision", "int8", "--data", path("wrong"), "-o", path("q.onnx")},
                 "does not fit the model's input");
  expect_refused(
      {"quantize", model, "--precision", "int8", "--data", path("wrong"), "--method", "auto", "-o", path("q.onnx")},
      "--method auto", kUsage);
  expect_refused({"quantize", model, "--precision", "int4", "-o", path("q.onnx")}, "unknown", kUsage);
  expect_refused({"quantize", model, "--precision", "fp16", "--bias-correction", "-o", path("q.onnx")},
                 "--bias-correction applies", kUsage);
  expect_refused({"quantize", model, "--precision", "int8", "-o", path("q.onnx")}, "--data DIR", kUsage);
  expect_refused({"quantize", model, "--precision", "full-int", "-o", path("q.onnx")}, "--data DIR", kUsage);
  // A batch of 0 samples, and integers for a float input: refused where they enter (they gave a
  // written model with scales of 1.0, or ~100× too large), as `stride run` refuses them.
  std::filesystem::create_directory(path("none"));
  write_npy(path("none/x.npy"), wave({0, 50, 60, 60}, 0.0f));
  expect_refused({"quantize", model, "--precision", "int8", "--data", path("none"), "-o", path("q.onnx")},
                 "calibration has 0 inputs (64 asked)");
  std::filesystem::create_directory(path("ints"));
  write_npy(path("ints/x.npy"), wave({1, 50, 60, 60}, 0.0f).cast(DType::s8));
  expect_refused({"quantize", model, "--precision", "int8", "--data", path("ints"), "-o", path("q.onnx")},
                 "ints/x.npy: holds s8, the model's input");

  Graph relu_only;
  relu_only.name = "relu_only";
  relu_only.inputs = {{"x", DType::f32, {1, 4}}};
  relu_only.outputs = {{"y", DType::f32, {1, 4}}};
  relu_only.nodes = {{"relu", "Relu", {"x"}, {"y"}, {}}};
  expect_refused(
      {"quantize", save(relu_only, "relu.onnx"), "--precision", "int8", "--data", path("wrong"), "-o", path("q.onnx")},
      "nothing to quantize");
  expect_refused({"quantize", save(relu_only, "relu.onnx"), "--precision", "dynamic", "-o", path("q.onnx")},
                 "nothing to quantize dynamically");
  // The output never replaces the input model.
  expect_refused({"quantize", model, "--precision", "fp16", "-o", model}, "input model", kUsage);
}

// --precision auto on a dataset: every precision tried, measured and reported, and the file
// written is the one chosen, with its accuracy within the bound.
TEST_F(QuantizeCommand, AutoKeepsTheFastestPrecisionWithinTheBound) {
  ASSERT_EQ(run_stride({"data", "synth", "--preset", "tiny", "--seed", "1", "-o", path("data")}).exit_code, 0);
  ZooOptions o;
  o.width_mult = 0.125;
  const std::string model = save(build_model("gaitset", o), "g.onnx");
  const Outcome out =
      run_stride({"quantize", model,      "--precision", "auto",      "--data",       path("data"), "--samples",
                  "4",        "--method", "minmax",      "--backend", "onednn",       "--max-drop", "2",
                  "--bench",  "--batch",  "1,2",         "-o",        path("q.onnx"), "--json",     path("q.json")});
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_NE(out.output.find("chosen"), std::string::npos) << out.output;
  const auto report = nlohmann::json::parse(std::ifstream(path("q.json")));
  const double before = report["accuracy_before"];
  for (const char* p : {"fp32", "fp16", "bf16", "dynamic", "int8"}) {
    ASSERT_TRUE(report["trials"].contains(p)) << report.dump(2);
    EXPECT_GT(report["trials"][p]["median_ms"].get<double>(), 0.0) << p;
  }
  // The choice follows the rule over the reported trials.
  const std::string chosen = report["precision"];
  const double chosen_ms = report["trials"][chosen]["median_ms"];
  EXPECT_LE(before - report["accuracy_after"].get<double>(), 2.0);
  for (const auto& [p, t] : report["trials"].items())
    if (before - t["accuracy_after"].get<double>() <= 2.0) EXPECT_LE(chosen_ms, t["median_ms"].get<double>()) << p;
  // The file is the chosen precision's.
  const Graph q = load_onnx(path("q.onnx"));
  EXPECT_EQ(count_op(q, "QuantizeLinear") > 0, chosen == "int8");
  EXPECT_EQ(count_op(q, "Cast") > 0, chosen == "fp16" || chosen == "bf16" || chosen == "dynamic");
  EXPECT_EQ(count_op(q, "MatMulInteger") > 0, chosen == "dynamic");
  if (chosen != "fp32") EXPECT_EQ(report["bench"].size(), 2u);
}

// Asked for more calibration inputs than the data holds: refused with both figures, before any
// work (it silently calibrated on fewer); the default takes what there is and says so.
TEST_F(QuantizeCommand, SamplesBeyondTheDataAreRefusedNamingBoth) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  std::filesystem::create_directory(path("calib"));
  write_npy(path("calib/a.npy"), wave({1, 50, 60, 60}, 0.0f));
  write_npy(path("calib/b.npy"), wave({1, 50, 60, 60}, 1.0f));
  expect_refused(
      {"quantize", model, "--precision", "int8", "--data", path("calib"), "--samples", "5", "-o", path("q.onnx")},
      "--samples 5: the data holds 2 calibration inputs only", kUsage);
  const Outcome o = run_stride({"quantize", model, "--precision", "int8", "--data", path("calib"), "--method", "minmax",
                                "--backend", "ref", "--float-backend", "onednn", "-o", path("q.onnx")});
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("--samples: 2 calibration inputs (all the data holds; the default is 64)"), std::string::npos)
      << o.output;
  EXPECT_EQ(o.output.find("stride: warning"), std::string::npos) << o.output;
}

TEST_F(QuantizeCommand, AutoNeedsADatasetAndOptionsStayInRange) {
  const std::string model = save(small_cnn2d(), "m.onnx");
  std::filesystem::create_directory(path("calib"));
  write_npy(path("calib/a.npy"), wave({1, 50, 60, 60}, 0.0f));
  expect_refused({"quantize", model, "--precision", "auto", "--data", path("calib"), "-o", path("q.onnx")},
                 "--precision auto compares accuracies", kUsage);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--percentile", "0"}, std::vector<std::string>{"--percentile", "100.5"},
        std::vector<std::string>{"--max-drop", "-1"}, std::vector<std::string>{"--samples", "0"},
        std::vector<std::string>{"--batch", "1,0"}}) {
    std::vector<std::string> args{"quantize", model,         "--precision", "int8",
                                  "--data",   path("calib"), "-o",          path("q.onnx")};
    args.insert(args.end(), bad.begin(), bad.end());
    const Outcome o = run_stride(args);
    EXPECT_EQ(o.exit_code, 2) << bad[0] << ": " << o.output;
    EXPECT_NE(o.output.find(bad[0]), std::string::npos) << o.output;
    EXPECT_FALSE(std::filesystem::exists(path("q.onnx")));
  }
}

}  // namespace
}  // namespace stride::testing
